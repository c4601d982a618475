import net from 'node:net';

/**
 * Connect to one resolved address at a time. Node 20's "happy eyeballs" path (autoSelectFamily)
 * can throw ERR_INTERNAL_ASSERTION from internalConnectMultiple when its per-address timer fires on
 * a loaded machine (nodejs/node#47644 and its duplicates), which takes the whole process down; the
 * hotline only talks to Zalo, SMTP and its own services, where the fallback buys nothing.
 */
export function useSequentialConnects(): void {
  net.setDefaultAutoSelectFamily(false);
}
