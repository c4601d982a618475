import { WINDOW_MS } from '../conversation/notify';

/** Zalo's 7-day customer-service window as the console shows it, counted from the citizen's last message. */
export interface WindowState {
  open: boolean;
  lastUserMessageAt: Date | null;
  closesAt: Date | null;
}

export function windowState(lastUserMessageAt: Date | null, now = new Date()): WindowState {
  const closesAt = lastUserMessageAt ? new Date(lastUserMessageAt.getTime() + WINDOW_MS) : null;
  return { open: !!closesAt && closesAt > now, lastUserMessageAt, closesAt };
}
