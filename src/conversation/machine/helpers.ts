import { MENU, vi, type Button } from '../catalogue';
import type { Effect, MachineContext, Reply, State, StateData, Step } from './types';

/** Builders shared by the state handlers: a step is the next state, its data and the effects. */
export const say = (text: string, buttons?: Button[]): Effect => ({
  type: 'reply',
  reply: buttons ? { text, buttons } : { text },
});
export const reply = (r: Reply): Effect => ({ type: 'reply', reply: r });
export const menu = (text: string = vi.greeting): Effect => say(text, [...MENU]);

export function step(state: State, data: StateData, effects: Effect[], handled = true): Step {
  return { state, data, effects, handled };
}

/** Leaves a question: the pending ticket and the unrecognised count go with it. */
export function cleared(data: StateData): StateData {
  const { ticket: _ticket, unrecognised: _u, ...rest } = data;
  return rest;
}

export const DAY_MS = 24 * 3600 * 1000;

export type Ctx = MachineContext;
