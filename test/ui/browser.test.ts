// The web view in a real browser: Debian's chromium driven by playwright-core
// (never a downloaded browser). The page is built from the current source,
// served by `skbpath ui`'s server, and runs the oracle scenarios itself.
// Screenshots and exports land in tmp/test-output/ui/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { buildUi } from '../../scripts/ui_build.mjs';
import { startUiServer, type UiServer } from '../../src/cli/ui_server.ts';
import { runForUi } from '../../src/ui/engine.ts';
import { encodeRun } from '../../src/ui/codec.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`test/ui/browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const repo = new URL('../..', import.meta.url).pathname;
const OUT = join(repo, 'tmp/test-output/ui');
const scenario = (n: string): string => readFileSync(join(repo, `test/oracle/scenarios/${n}.sh`), 'utf8');

describe.skipIf(!hasChromium)('web view in chromium', () => {
  let assets: string;
  let profile: string;
  let ctx: BrowserContext;
  const servers: UiServer[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    assets = await buildUi(mkdtempSync(join(tmpdir(), 'skbpath-ui-build-')), { minify: false });
    profile = mkdtempSync(join(tmpdir(), 'skbpath-chromium-'));
    const { chromium } = await import('playwright-core');
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
    for (const s of servers) await s.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (assets) rmSync(assets, { recursive: true, force: true });
  });

  /** Opens the page for an oracle scenario and waits for the in-page run to finish. */
  async function open(name: string, run: string | null = null): Promise<Page> {
    const srv = await startUiServer({ port: 0, assets, scenario: { name, text: scenario(name) }, run });
    servers.push(srv);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // offline: every request must go to our own server
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(srv.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    await page.goto(srv.url);
    await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 30_000 });
    if ((await page.getAttribute('body', 'data-state')) === 'error')
      throw new Error(`the page's run failed: ${await page.textContent('main')}`);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    expect(await page.textContent('#scenario-name')).toBe(name);
    return page;
  }

  const stepInfo = async (page: Page): Promise<string> => (await page.textContent('#stepinfo')) ?? '';
  const boxClass = async (page: Page, fn: string): Promise<string> => (await page.getAttribute(`#flow [data-fn="${fn}"]`, 'class')) ?? '';

  it('router-forward: steps one kernel function at a time through the router', async () => {
    const page = await open('router-forward');
    // only the echo requests to b, from the first step
    await page.fill('#filter-expr', 'icmp[icmptype] = icmp-echo and dst host 10.0.2.10');
    await page.press('#filter-expr', 'Enter');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await stepInfo(page)).toMatch(/^\S+ · a\/va · /);
    const seen: string[] = [];
    for (let i = 0; i < 60 && !/ip_forward ·/.test(await stepInfo(page)); i++) {
      await page.keyboard.press('ArrowRight');
      seen.push((await stepInfo(page)).split(' · ')[0] as string);
    }
    expect(await stepInfo(page)).toMatch(/^ip_forward · r\/ra · /);
    // the path so far, in the kernel's order: out of a, over the veth, into r
    const order = [
      '__ip_local_out',
      'ip_output',
      'ip_finish_output2',
      '__dev_queue_xmit',
      'veth_xmit',
      '__netif_receive_skb_core',
      'ip_rcv',
      'ip_route_input_noref',
      'ip_forward',
    ];
    let at = -1;
    for (const f of order) {
      const k = seen.indexOf(f, at + 1);
      expect(k, `${f} after ${order[order.indexOf(f) - 1]}`).toBeGreaterThan(at);
      at = k;
    }
    expect(await boxClass(page, 'ip_forward')).toBe('box fn lit cur');
    expect(await boxClass(page, 'ip_route_input_noref')).toBe('box fn lit');
    expect(await boxClass(page, 'ip_local_deliver')).toBe('box fn');
    expect(await page.textContent('.chip.on')).toBe('→ r (ra→rb)');
    expect(await page.locator('.chip').allTextContents()).toEqual(['a (va)', '→ r (ra→rb)', '→ b (vb)']);
    // one step back, then on to the way out of r
    await page.keyboard.press('ArrowLeft');
    expect(await stepInfo(page)).toMatch(/^ip_route_input_noref · r\/ra/);
    for (let i = 0; i < 30 && !/veth_xmit · r\/rb/.test(await stepInfo(page)); i++) await page.keyboard.press('ArrowRight');
    expect(await stepInfo(page)).toMatch(/^veth_xmit · r\/rb/);
    expect(await boxClass(page, 'ip_forward_finish')).toBe('box fn lit');
    // the packet's layers as tcpdump -vv prints them, TTL already decremented by ip_forward
    const detail = (await page.textContent('#detail')) ?? '';
    expect(detail).toContain('02:00:00:00:02:01 > 02:00:00:00:02:0b, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 63,');
    expect(detail).toContain('10.0.1.10 > 10.0.2.10: ICMP echo request');
    expect(await page.locator('#counters tr.past').allTextContents()).toContain('rIpForwDatagrams +1@ip_forward');
    expect(await page.locator('#counters tr.future').allTextContents()).toContain('bIcmpInMsgs +1@icmp_rcv');
    await page.screenshot({ path: join(OUT, 'router-forward-flowchart.png') });
    // play at 32 steps a second moves on by itself
    await page.selectOption('#speed', '32');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const before = await stepInfo(page);
    await page.keyboard.press(' ');
    await page.waitForFunction((b) => document.getElementById('stepinfo')?.textContent !== b, before, { timeout: 5000 });
    await page.keyboard.press(' ');
    // topology: click the router's device for its tables
    await page.click('#tab-topology');
    await page.evaluate(() => {
      (window as unknown as { cy: { getElementById(id: string): { emit(e: string): void } } }).cy.getElementById('r/rb').emit('tap');
    });
    const dev = (await page.textContent('#devinfo')) ?? '';
    expect(dev).toContain('r / rb');
    expect(dev).toContain('10.0.2.10 lladdr 02:00:00:00:02:0b');
    expect(dev).toContain('10.0.2.0/24 dev rb proto kernel scope link src 10.0.2.1');
    expect(dev).toMatch(/tx_packets\s*\d+/);
    const dl = page.waitForEvent('download');
    await page.click('#devinfo .dl');
    const pcap = readFileSync((await (await dl).path()) as string);
    expect([...pcap.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    await page.screenshot({ path: join(OUT, 'router-forward-topology.png') });
    await page.close();
  }, 120_000);

  it('iptables-drop-icmp: the drop with NETFILTER_DROP and its rule, exported as SVG and PNG', async () => {
    const page = await open('iptables-drop-icmp');
    await page.keyboard.press('d');
    expect(await stepInfo(page)).toMatch(/^✕ NETFILTER_DROP @nft_do_chain · b\/vb · /);
    expect(await page.textContent('#drop-reason')).toBe('SKB_DROP_REASON_NETFILTER_DROP');
    expect(await page.textContent('#drop-why')).toBe('why: iptables -t filter: rule 1 of chain INPUT (INPUT hook)');
    expect(await boxClass(page, 'LOCAL_IN')).toBe('box hook lit cur drop');
    expect(await boxClass(page, 'ip_local_deliver_finish')).toBe('box fn');
    expect(await boxClass(page, 'taps')).toBe('box virt lit'); // the run's capture on vb
    const flow = (await page.textContent('#flow')) ?? '';
    expect(flow).toContain('✕ NETFILTER_DROP');
    expect(flow).toContain('dropped at nft_do_chain: NETFILTER_DROP — iptables -t filter: rule 1 of chain INPUT (INPUT hook)');
    expect(flow).toContain('LOCAL_IN: nft_do_chain; filter INPUT rule 1 DROP → DROP');
    await page.keyboard.press('ArrowLeft');
    expect(await stepInfo(page)).toMatch(/^nft_do_chain · b\/vb/);
    expect(await page.textContent('#nf-rule')).toBe('iptables: filter INPUT rule 1 DROP → DROP');
    await page.keyboard.press('ArrowRight');
    await page.screenshot({ path: join(OUT, 'iptables-drop-icmp-flowchart.png') });
    await page.locator('#flow svg').screenshot({ path: join(OUT, 'flowchart.png') });

    const svgDl = page.waitForEvent('download');
    await page.click('#export-svg');
    const svgFile = await svgDl;
    expect(svgFile.suggestedFilename()).toMatch(/^skbpath-packet\d+-b\.svg$/);
    const svg = readFileSync((await svgFile.path()) as string, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<g class="box hook lit cur drop" data-fn="LOCAL_IN">');
    expect(svg).toContain('rule 1 of chain INPUT');
    await svgFile.saveAs(join(OUT, 'iptables-drop-icmp.svg'));
    const pngDl = page.waitForEvent('download');
    await page.click('#export-png');
    const png = readFileSync((await (await pngDl).path()) as string);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(1500); // twice the chart's width

    // only this packet: its whole lineage, the drop still the current step
    await page.check('#only-packet');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.rows .row:not(.head) span:nth-child(4)')].every((x) => /^#1(\/|$)/.test(x.textContent ?? '')),
    );
    const skbs = await page.locator('.rows .row:not(.head) span:nth-child(4)').allTextContents();
    expect(skbs.length).toBeGreaterThan(10);
    expect(new Set(skbs.map((x) => x.split('/')[0]))).toEqual(new Set(['#1']));
    expect(await stepInfo(page)).toMatch(/^✕ NETFILTER_DROP @nft_do_chain/);
    await page.uncheck('#only-packet');
    // clicking a box jumps to where the packet entered it, even when a filter hides that step
    await page.check('#kind-drop');
    await page.click('#flow [data-fn="ip_rcv"]');
    expect(await stepInfo(page)).toMatch(/^ip_rcv · b\/vb/);
    expect(await page.isChecked('#kind-drop')).toBe(false);
    await page.keyboard.press('d');
    // only drops, then a bad filter expression says what tcpdump says
    await page.check('#kind-drop');
    await page.waitForFunction(() => document.querySelectorAll('.rows .row:not(.head)').length === 2);
    expect(await page.locator('.rows .row:not(.head) .fn').allTextContents()).toEqual([
      '✕ NETFILTER_DROP @nft_do_chain',
      '✕ NETFILTER_DROP @nft_do_chain',
    ]);
    await page.fill('#filter-expr', 'icmp and');
    await page.press('#filter-expr', 'Enter');
    expect(await page.textContent('#filter-error')).toBe("can't parse filter expression: syntax error");
    await page.close();
  }, 120_000);

  it('tc and nft: a tbf overflow on the qdisc box, a netdev ingress drop with its nft rule', async () => {
    const tbf = await open('tc-tbf-ping-flood');
    // the echo requests only (the replies die in ping_rcv): the first drop is the qdisc's
    await tbf.fill('#filter-expr', 'icmp[icmptype] = icmp-echo');
    await tbf.press('#filter-expr', 'Enter');
    await tbf.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tbf.keyboard.press('d');
    expect(await stepInfo(tbf)).toMatch(/^✕ QDISC_DROP @__dev_queue_xmit · tbfhtb-a\/tva · /);
    expect(await tbf.textContent('#drop-why')).toMatch(/^why: bfifo 0: \(parent 1:1\) on tva: backlog \d+b \+ this 98b > limit 300b$/);
    expect(await boxClass(tbf, 'qdisc')).toBe('box virt lit cur drop');
    expect(await boxClass(tbf, '__dev_queue_xmit')).toBe('box fn lit');
    expect(await boxClass(tbf, 'sch_handle_egress')).toBe('box fn');
    expect(await boxClass(tbf, 'dev_hard_start_xmit')).toBe('box fn');
    expect((await tbf.textContent('#flow')) ?? '').toContain('✕ QDISC_DROP');
    await tbf.screenshot({ path: join(OUT, 'tc-tbf-ping-flood-flowchart.png') });
    await tbf.close();

    const nft = await open('nft-netdev-ingress');
    await nft.keyboard.press('d');
    expect(await stepInfo(nft)).toMatch(/^✕ NETFILTER_DROP @nft_do_chain · nftb\/vb · /);
    expect(await boxClass(nft, 'NF_INGRESS')).toBe('box hook lit cur drop');
    expect(await boxClass(nft, 'ip_rcv')).toBe('box fn');
    const rule = 'netdev edge ingress handle 3: ip saddr 10.0.0.1 icmp type echo-request counter packets 2 bytes 168 drop → DROP';
    expect((await nft.textContent('#flow')) ?? '').toContain(`NF_INGRESS: nft_do_chain; ${rule}`);
    await nft.keyboard.press('ArrowLeft');
    expect(await stepInfo(nft)).toMatch(/^nft_do_chain · nftb\/vb/);
    expect(await nft.textContent('#nf-rule')).toBe(`nft: ${rule}`);
    await nft.screenshot({ path: join(OUT, 'nft-netdev-ingress-flowchart.png') });
    await nft.close();
  }, 120_000);

  it('opens on the run skbpath ui made on the host, and re-runs edits in the page', async () => {
    const page = await open('iptables-drop-icmp', encodeRun(runForUi(scenario('iptables-drop-icmp'))));
    expect(await page.textContent('#status')).toMatch(/^\d+ events · exit 0 · host run$/);
    await page.keyboard.press('d');
    expect(await page.textContent('#drop-why')).toBe('why: iptables -t filter: rule 1 of chain INPUT (INPUT hook)');
    await page.click('#tab-scenario');
    await page.click('#run');
    // the page's own run replaces the host's: no "host run" once it is done
    await page.waitForFunction(() => /^\d+ events · exit 0$/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await page.getAttribute('body', 'data-state')).toBe('ready');
    await page.close();
  }, 120_000);

  it('every bundled example runs in the page without an error', async () => {
    const srv = await startUiServer({ port: 0, assets, scenario: null });
    servers.push(srv);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const names = await (async () => {
      await page.goto(srv.url);
      await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
      return (await page.locator('#example option').allTextContents()).filter((n) => n !== 'examples…');
    })();
    expect(names).toContain('nat-masquerade');
    for (const n of names) {
      await page.goto(`${srv.url}?example=${n}`);
      await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
      expect(await page.textContent('#scenario-name')).toBe(n);
      expect(await page.textContent('#status'), n).toMatch(/^\d+ events · exit \d+$/);
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+ArrowLeft');
      expect(await page.locator('#flow svg').count(), n).toBe(1);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('the editor changes the scenario and runs it again in the page', async () => {
    const page = await open('iptables-drop-icmp');
    const events = Number(((await page.textContent('#status')) ?? '').split(' ')[0]);
    await page.click('#tab-scenario');
    const text = await page.inputValue('#script');
    await page.fill('#script', text.replace('iptables -A INPUT -p icmp -j DROP', 'iptables -A INPUT -p tcp -j DROP'));
    const runs = Number(await page.getAttribute('body', 'data-runs'));
    await page.click('#run');
    await page.waitForFunction((n) => Number(document.body.dataset['runs']) > n && document.body.dataset['state'] === 'ready', runs);
    expect(Number(((await page.textContent('#status')) ?? '').split(' ')[0])).not.toBe(events);
    await page.click('#tab-output');
    expect(await page.textContent('#transcript')).toContain('2 packets transmitted, 2 received, 0% packet loss');
    await page.keyboard.press('d');
    expect(await stepInfo(page)).not.toContain('NETFILTER_DROP');
    // a run that would go on for long is ended from the page, and the next run works
    await page.click('#tab-scenario');
    await page.fill('#script', 'while true; do :; done\n');
    await page.click('#run');
    await page.click('#stop');
    await page.waitForSelector('body[data-state=error]');
    expect(await page.textContent('main')).toContain('stopped: the run was ended from the page before it finished');
    await page.fill('#script', text);
    await page.click('#run');
    await page.waitForSelector('body[data-state=ready]');
    await page.keyboard.press('d');
    expect(await stepInfo(page)).toMatch(/NETFILTER_DROP/);
    // save the edited script, open a file
    await page.click('#tab-scenario');
    const dl = page.waitForEvent('download');
    await page.click('#save');
    const saved = await dl;
    expect(saved.suggestedFilename()).toBe('iptables-drop-icmp.sh');
    expect(readFileSync((await saved.path()) as string, 'utf8')).toBe(text);
    await page.setInputFiles('#open-file', {
      name: 'router-forward.sh',
      mimeType: 'text/plain',
      buffer: Buffer.from(scenario('router-forward')),
    });
    await page.waitForFunction(() => document.getElementById('scenario-name')?.textContent === 'router-forward');
    await page.waitForSelector('body[data-state=ready]');
    expect(await page.inputValue('#script')).toBe(scenario('router-forward'));
    await page.close();
  }, 120_000);
});
