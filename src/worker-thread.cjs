// Entry of the embedded workers' thread. Loader hooks given to the main thread (--import tsx) do
// not reach worker threads on Node 20, so this thread registers tsx itself, then loads the code.
require('tsx/cjs/api').register();
require('./worker-thread.ts');
