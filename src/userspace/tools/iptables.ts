// iptables lives in ./iptables/ (one module per libxt_* extension).
export { iptablesSave, registerIptables } from './iptables/index.ts';
