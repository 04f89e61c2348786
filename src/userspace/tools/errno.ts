// strerror() texts glibc prints, for the errnos the simulated kernel returns.
const TEXT: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  11: 'Resource temporarily unavailable',
  13: 'Permission denied',
  16: 'Device or resource busy',
  17: 'File exists',
  19: 'No such device',
  22: 'Invalid argument',
  32: 'Broken pipe',
  64: 'Machine is not on the network',
  71: 'Protocol error',
  90: 'Message too long',
  92: 'Protocol not available',
  93: 'Protocol not supported',
  95: 'Operation not supported',
  98: 'Address already in use',
  99: 'Cannot assign requested address',
  100: 'Network is down',
  101: 'Network is unreachable',
  104: 'Connection reset by peer',
  105: 'No buffer space available',
  106: 'Transport endpoint is already connected',
  107: 'Transport endpoint is not connected',
  110: 'Connection timed out',
  111: 'Connection refused',
  112: 'Host is down',
  113: 'No route to host',
  114: 'Operation already in progress',
  115: 'Operation now in progress',
};

export function strerror(errno: number): string {
  return TEXT[errno] ?? `Unknown error ${errno}`;
}
