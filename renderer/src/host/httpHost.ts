import type { Envelope, LanternEvent, LanternHost } from '../../../shared/contract';

/** Browser mode: the contract over HTTP to the loopback host, events over SSE. */
export function httpHost(base = ''): LanternHost {
  return {
    kind: 'browser',
    async call(method, input) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-lantern-call': '1' },
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return { ok: false, error: { code: 'offline', message: `Lantern's local host is not answering: ${(err as Error).message}` } };
      }
      try {
        // The host answers an Envelope for every status it sends; anything else is reported as such.
        return (await res.json()) as Envelope<never>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `Lantern's local host answered ${res.status} without a result` } };
      }
    },
    subscribe(listener) {
      const source = new EventSource(`${base}/api/events`);
      source.onmessage = (m: MessageEvent<string>) => {
        try {
          listener(JSON.parse(m.data) as LanternEvent);
        } catch {
          /* a malformed event is dropped; the next query refresh corrects the view */
        }
      };
      return () => source.close();
    },
  };
}
