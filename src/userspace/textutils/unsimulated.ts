// Programs a Linux system has that skbpath does not simulate. A scenario that
// names one gets one line saying so (instead of bash's `command not found`,
// which would suggest a typo), exit 127 as bash's lookup failure.

const PROGRAMS = `
arp brctl bpftool bpftrace busybox chmod chown cmp comm cp crontab curl dd df dhclient diff dig dnsmasq
du ebtables ed expand expr factor file find fmt fold free gawk gzip gunzip host hping3 htop ifconfig ifdown
ifup insmod iperf iperf3 ip6tables ip6tables-restore ip6tables-save ipset iw iwconfig join journalctl kill
killall less ln logger ls lsmod lsof make md5sum mkdir mkfifo mktemp modprobe more mount mtr mv nano ncat
netcat netstat networkctl nft nl nmap nmcli nohup nping nproc nsenter nslookup numfmt openssl perl pgrep
pidof ping6 pkill pr ps pwd python python3 readlink realpath rev rm rmdir rmmod route rsync ruby scp
sha1sum sha256sum sha512sum shuf split ssh sshd stat strace stdbuf strings stty su sum sync systemctl
tac tail tar tc tcptraceroute telnet time top touch tracepath traceroute6 truncate tshark tsort tty udevadm
umount unexpand unshare unzip uptime useradd vi vim watch wget whoami wireshark xz zcat zip
`;

const SET = new Set(PROGRAMS.split(/\s+/).filter(Boolean));

/** True for a program Linux has and skbpath does not simulate. */
export function isUnsimulatedProgram(name: string): boolean {
  return SET.has(name);
}

/** The line a scenario gets for it. */
export function unsimulatedMessage(name: string): string {
  return `skbpath: ${name} is not simulated; see README "Supported commands"\n`;
}
