export default async function globalTeardown(): Promise<void> {
  const handles = (globalThis as { __cchcServices?: Array<() => Promise<void>> }).__cchcServices ?? [];
  for (const stop of handles.reverse()) await stop();
}
