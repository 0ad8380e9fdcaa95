// Runs before every test file. n8n's logger prints to the console at level "info" by
// default: silence it, so that a passing run prints jest's summary and nothing else.
process.env.N8N_LOG_LEVEL = 'silent';
