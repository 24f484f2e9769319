import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { USER_AGENTS } from '../generator/vocabulary.js';
import { browserRules, classifyUserAgent, deviceRules, osRules, userAgentCaseSql, type UserAgentClassification } from './user-agent-rules.js';

const SAMPLE = resolve(process.cwd(), '../shared/data/udacity-sample');

/** Every distinct userAgent in the sample's logs, read in place. */
async function sampleAgents(): Promise<string[]> {
  const agents = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        for (const line of (await readFile(path, 'utf8')).split('\n')) {
          if (line.trim() === '') continue;
          const agent = (JSON.parse(line) as { userAgent?: string | null }).userAgent;
          if (agent) agents.add(agent);
        }
      }
    }
  };
  await walk(join(SAMPLE, 'log_data'));
  return [...agents].sort();
}

const classify = (agent: string | null) => ({
  device: classifyUserAgent(agent, deviceRules),
  os: classifyUserAgent(agent, osRules),
  browser: classifyUserAgent(agent, browserRules),
});

function tally(agents: readonly string[], rules: UserAgentClassification): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const agent of agents) {
    const label = classifyUserAgent(agent, rules);
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

describe('user-agent classification on the Udacity sample', () => {
  let agents: string[];
  beforeAll(async () => {
    agents = await sampleAgents();
  });

  // Each is a real agent of the sample (asserted below), with its labels checked by hand.
  const examples: [agent: string, device: string, os: string, browser: string][] = [
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', 'Desktop', 'macOS', 'Chrome'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2', 'Desktop', 'macOS', 'Safari'],
    ['Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0', 'Desktop', 'Windows', 'Firefox'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36', 'Desktop', 'Linux', 'Chromium'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 'Mobile', 'iOS', 'Safari'],
    ['Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', 'Desktop', 'Windows', 'Internet Explorer'],
    ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)', 'Desktop', 'Windows', 'Internet Explorer'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', 'Desktop', 'Linux', 'Firefox'],
  ];

  it.each(examples)('%s → %s, %s, %s', (agent, device, os, browser) => {
    expect(agents).toContain(agent);
    expect(classify(agent)).toEqual({ device, os, browser });
  });

  it('puts each of the 40 distinct agents where a person reading them would', () => {
    expect(agents).toHaveLength(40);
    expect(tally(agents, browserRules)).toEqual({ Chrome: 19, Firefox: 8, Safari: 8, Chromium: 1, 'Internet Explorer': 4 });
    expect(tally(agents, osRules)).toEqual({ Windows: 19, macOS: 16, Linux: 3, iOS: 2 });
    expect(tally(agents, deviceRules)).toEqual({ Desktop: 38, Mobile: 2 });
  });
});

describe('user-agent classification beyond the sample', () => {
  it.each([
    // The generator's agents (src/generator/vocabulary.ts) bring Android, iPad and Edge.
    [USER_AGENTS[11]![0], 'Tablet', 'iOS', 'Safari'],
    [USER_AGENTS[12]![0], 'Mobile', 'Android', 'Chrome'],
    [USER_AGENTS[16]![0], 'Desktop', 'Windows', 'Edge'],
    [USER_AGENTS[9]![0], 'Desktop', 'Linux', 'Firefox'],
    ['Mozilla/5.0 (Linux; Android 9; SM-T820) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.157 Safari/537.36', 'Tablet', 'Android', 'Chrome'],
    ['Mozilla/5.0 (Linux; Android 9; SAMSUNG SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/9.2 Chrome/67.0.3396.87 Mobile Safari/537.36', 'Mobile', 'Android', 'Samsung Internet'],
    ['Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; HTC Sensation Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30', 'Mobile', 'Android', 'Android Browser'],
    ['Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.14977', 'Mobile', 'Windows Phone', 'Edge'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/74.0.3729.121 Mobile/15E148 Safari/605.1', 'Mobile', 'iOS', 'Chrome'],
    ['Mozilla/5.0 (X11; CrOS x86_64 11895.118.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.159 Safari/537.36', 'Desktop', 'Chrome OS', 'Chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36 OPR/61.0.3298.6', 'Desktop', 'Windows', 'Opera'],
    ['curl/8.5.0', 'Other', 'Other', 'Other'],
    ['', 'Unknown', 'Unknown', 'Unknown'],
  ])('%s → %s, %s, %s', (agent, device, os, browser) => {
    expect(classify(agent)).toEqual({ device, os, browser });
  });

  it('calls a missing agent Unknown', () => {
    expect(classify(null)).toEqual({ device: 'Unknown', os: 'Unknown', browser: 'Unknown' });
  });
});

describe('userAgentCaseSql', () => {
  it('renders the rules in order as LIKE tests, first match wins', () => {
    expect(userAgentCaseSql('ua', deviceRules)).toBe(
      [
        'CASE',
        "    WHEN ua IS NULL OR ua = '' THEN 'Unknown'",
        "    WHEN (ua LIKE '%iPad%' OR ua LIKE '%Tablet%') THEN 'Tablet'",
        "    WHEN (ua LIKE '%Android%') AND NOT (ua LIKE '%Mobile%') THEN 'Tablet'",
        "    WHEN (ua LIKE '%iPhone%' OR ua LIKE '%iPod%' OR ua LIKE '%Mobile%' OR ua LIKE '%Android%' OR ua LIKE '%Windows Phone%') THEN 'Mobile'",
        "    WHEN (ua LIKE '%Windows%' OR ua LIKE '%Macintosh%' OR ua LIKE '%X11%' OR ua LIKE '%CrOS%' OR ua LIKE '%Linux%') THEN 'Desktop'",
        "    ELSE 'Other'",
        '  END',
      ].join('\n'),
    );
  });

  it.each(['50%', 'a_b', "it's", 'back\\slash'])('refuses rule text that is not portable in LIKE: %s', (text) => {
    expect(() => userAgentCaseSql('ua', { name: 'browser', rules: [{ label: 'X', contains: [text] }] })).toThrow(/not portable in LIKE/);
  });
});
