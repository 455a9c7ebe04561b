/** Networks the lessons share. Pure data. */
import type { NetworkSpec } from '../sim/network.ts';

/** Two hosts on one Ethernet link, as in the built-in scenarios and the golden recordings. */
export const TWO_HOSTS: NetworkSpec = {
  hosts: [
    { name: 'server', ip: '10.0.0.2' },
    { name: 'client', ip: '10.0.0.1' },
  ],
  link: { mtu: 1500, latency: 50 },
};

export const ONE_HOST: NetworkSpec = { hosts: [{ name: 'host', ip: '10.0.0.1' }], link: { mtu: 1500, latency: 50 } };
