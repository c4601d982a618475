// Unit names for codes: staff read "Sở Tư pháp", not "so-tu-phap". Loaded once per page (main.js).
import { api } from './api.js';
import { t } from './i18n.js';

let names = new Map();
let list = [];

export async function loadUnits() {
  try {
    list = (await api.get('/units')).units ?? [];
  } catch {
    list = [];
  }
  names = new Map(list.map((u) => [u.code, u.name]));
  return list;
}

/** The units of the routing configuration, as loaded by loadUnits(). */
export const units = () => list;

/** A unit's name; a code the configuration no longer has still reads as a unit, never as a slug alone. */
export function unitName(code) {
  if (!code) return t.ticket.none;
  return names.get(code) ?? t.labels.unknownUnit(code);
}
