// Dates are formatted on the server in UTC so the HTML the server sends and the hydrated
// page agree whatever the viewer's time zone.
const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

export const formatDate = (iso: string) => DATE.format(new Date(iso));
