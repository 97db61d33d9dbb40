// Standard Webhooks (https://www.standardwebhooks.com) signing for worker ⇄ control plane
// traffic, using node:crypto only. Split by concern under ./signing/.
export * from './signing/headers.ts';
export * from './signing/secret.ts';
export * from './signing/sign.ts';
export * from './signing/verify.ts';
