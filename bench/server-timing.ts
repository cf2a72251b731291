/**
 * Reads the service's Server-Timing header (`faces.identify;dur=14.8, rpc.faces.identify;dur=17.2`): the time
 * a named handler took, as the benchmarks split a request's time between the service's parts.
 */
export function handlerMs(serverTiming: string | null | undefined, name: string): number | undefined {
  const entry = (serverTiming ?? '').split(', ').find((timing) => timing.startsWith(`${name};dur=`));
  return entry === undefined ? undefined : Number(entry.slice(`${name};dur=`.length));
}
