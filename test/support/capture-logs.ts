import { log } from '../../src/log';

/** Collects every log line written during the file, at debug level, for assertions on what is logged. */
export function captureLogs(): string[] {
  const logged: string[] = [];
  beforeAll(() => {
    log.setLevel('debug');
    for (const stream of [process.stdout, process.stderr])
      jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
        logged.push(String(chunk));
        return true;
      }) as typeof stream.write);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    log.setLevel('error');
  });
  return logged;
}
