/**
 * Device, operating system and browser from a User-Agent header, as data: the same rules render
 * a portable SQL `CASE` (LIKE on substrings, which DuckDB, PostgreSQL and Redshift all read the
 * same way) and a TypeScript classifier the tests hold the SQL to.
 *
 * The rules, first match wins (a NULL or empty agent is "Unknown", no match is "Other"):
 * - device: "Tablet" for iPad, "Tablet" in the agent, or Android without "Mobile" (Google's own
 *   convention: Android phones send "Mobile", tablets do not); "Mobile" for iPhone, iPod,
 *   "Mobile", Android or Windows Phone; "Desktop" for Windows, Macintosh, X11, CrOS or Linux.
 * - os: Windows Phone before Android (its agents also say Android); iOS (iPhone, iPad, iPod)
 *   before macOS (they say "like Mac OS X"); Android before Linux (it says "Linux"); then
 *   Windows, macOS, Chrome OS, Linux.
 * - browser: the agents of most browsers name the browsers they descend from, so the specific
 *   ones come first: Edge ("Edge/", "Edg/"…), Opera ("OPR/", "Opera"), Samsung Internet,
 *   Internet Explorer ("Trident/", "MSIE "), Firefox ("Firefox/", "FxiOS/"), Chromium
 *   ("Chromium/", which also says Chrome), Chrome ("Chrome/", "CriOS/"), the old Android
 *   Browser (Android without Chrome), and last Safari ("Safari/", which Chrome agents also send).
 */
export interface UserAgentRule {
  readonly label: string;
  /** Matches when the agent contains any of these. */
  readonly contains: readonly string[];
  /** ...and none of these. */
  readonly excludes?: readonly string[];
}

export interface UserAgentClassification {
  readonly name: 'device' | 'os' | 'browser';
  readonly rules: readonly UserAgentRule[];
}

export const UNKNOWN_AGENT = 'Unknown';
export const OTHER_AGENT = 'Other';

export const deviceRules: UserAgentClassification = {
  name: 'device',
  rules: [
    { label: 'Tablet', contains: ['iPad', 'Tablet'] },
    { label: 'Tablet', contains: ['Android'], excludes: ['Mobile'] },
    { label: 'Mobile', contains: ['iPhone', 'iPod', 'Mobile', 'Android', 'Windows Phone'] },
    { label: 'Desktop', contains: ['Windows', 'Macintosh', 'X11', 'CrOS', 'Linux'] },
  ],
};

export const osRules: UserAgentClassification = {
  name: 'os',
  rules: [
    { label: 'Windows Phone', contains: ['Windows Phone'] },
    { label: 'iOS', contains: ['iPhone', 'iPad', 'iPod'] },
    { label: 'Android', contains: ['Android'] },
    { label: 'Windows', contains: ['Windows'] },
    { label: 'macOS', contains: ['Macintosh', 'Mac OS X'] },
    { label: 'Chrome OS', contains: ['CrOS'] },
    { label: 'Linux', contains: ['Linux', 'X11'] },
  ],
};

export const browserRules: UserAgentClassification = {
  name: 'browser',
  rules: [
    { label: 'Edge', contains: ['Edge/', 'Edg/', 'EdgA/', 'EdgiOS/'] },
    { label: 'Opera', contains: ['OPR/', 'Opera'] },
    { label: 'Samsung Internet', contains: ['SamsungBrowser/'] },
    { label: 'Internet Explorer', contains: ['Trident/', 'MSIE '] },
    { label: 'Firefox', contains: ['Firefox/', 'FxiOS/'] },
    { label: 'Chromium', contains: ['Chromium/'] },
    { label: 'Chrome', contains: ['Chrome/', 'CriOS/'] },
    { label: 'Android Browser', contains: ['Android'] },
    { label: 'Safari', contains: ['Safari/'] },
  ],
};

/** The label the rules give an agent. */
export function classifyUserAgent(agent: string | null | undefined, classification: UserAgentClassification): string {
  if (agent === null || agent === undefined || agent === '') return UNKNOWN_AGENT;
  const rule = classification.rules.find(
    (r) => r.contains.some((s) => agent.includes(s)) && !(r.excludes ?? []).some((s) => agent.includes(s)),
  );
  return rule?.label ?? OTHER_AGENT;
}

/** The rules in words, for readers of the report: "Tablet if the agent contains “iPad” or …". */
export function describeUserAgentRules(classification: UserAgentClassification): string {
  const quoted = (list: readonly string[]) => list.map((s) => `“${s}”`).join(' or ');
  const rules = classification.rules.map(
    (rule) => `${rule.label} if it contains ${quoted(rule.contains)}${rule.excludes ? ` but not ${quoted(rule.excludes)}` : ''}`,
  );
  const subject = { device: 'Device', os: 'Operating system', browser: 'Browser' }[classification.name];
  return `${subject}, by the first rule that fits: ${rules.join('; ')}; otherwise ${OTHER_AGENT} (${UNKNOWN_AGENT} when there is no agent).`;
}

/**
 * The same rules as a SQL `CASE` over `column`. Patterns are fixed text from this module; one
 * holding a LIKE wildcard, a quote or a backslash (whose escaping differs between warehouses:
 * Redshift reads backslashes in literals) is refused rather than escaped.
 */
export function userAgentCaseSql(column: string, classification: UserAgentClassification): string {
  const like = (s: string) => `${column} LIKE '%${checkedPattern(s)}%'`;
  const whens = classification.rules.map((rule) => {
    const any = rule.contains.map(like).join(' OR ');
    const none = (rule.excludes ?? []).map((s) => ` AND NOT (${like(s)})`).join('');
    return `    WHEN (${any})${none} THEN '${checkedPattern(rule.label)}'`;
  });
  return [
    'CASE',
    `    WHEN ${column} IS NULL OR ${column} = '' THEN '${UNKNOWN_AGENT}'`,
    ...whens,
    `    ELSE '${OTHER_AGENT}'`,
    '  END',
  ].join('\n');
}

function checkedPattern(text: string): string {
  if (/[%_'\\]/.test(text)) throw new Error(`user-agent rule text ${JSON.stringify(text)} holds %, _, ' or \\: not portable in LIKE`);
  return text;
}
