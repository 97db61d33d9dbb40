// Server-rendered and hydrated alike: UTC, so both sides print the same text.
const DATE_TIME = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export const formatDateTime = (iso: string) => `${DATE_TIME.format(new Date(iso))} UTC`;
