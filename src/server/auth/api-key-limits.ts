// One limit, two readers: the app's input schema (api-keys/schemas.ts) and Better Auth's api-key
// plugin (auth.ts). When they disagreed (64 vs the plugin's default 32), a 33–64 character name
// passed the schema and then failed inside the library.
export const API_KEY_NAME_MAX_LENGTH = 64;
