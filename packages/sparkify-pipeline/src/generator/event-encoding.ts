import { jsonFloat, jsonString } from './json-text.js';
import type { Track } from './tracks.js';
import type { Level, User } from './users.js';

/**
 * Log lines are assembled from pre-encoded byte fragments, not strings: each user's, track's
 * and page's JSON is encoded once, and an event copies about a dozen fragments and writes three
 * integers. The keys keep the sample's order (alphabetical, like log_json_path.json):
 * artist auth firstName gender itemInSession lastName length level location method page
 * registration sessionId song status ts userAgent userId.
 */

/** ASCII strings stored back to back in one buffer, addressed by id. */
class FragmentTable {
  private readonly texts: string[] = [];
  private views: Uint8Array[] = [];

  add(text: string): number {
    if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`fragment is not ASCII: ${text}`);
    this.texts.push(text);
    return this.texts.length - 1;
  }

  /** Packs the fragments; call once, after the last `add`. */
  seal(): void {
    const bytes = Buffer.from(this.texts.join(''), 'latin1');
    let start = 0;
    this.views = this.texts.map((text) => bytes.subarray(start, (start += text.length)));
    this.texts.length = 0;
  }

  length(id: number): number {
    return this.views[id]?.length ?? 0;
  }

  /** `TypedArray.set` of a prepared view: the cheapest copy of a short run of bytes. */
  copy(id: number, target: Buffer, position: number): number {
    const view = this.views[id] as Uint8Array;
    target.set(view, position);
    return position + view.length;
  }
}

/** The event being written. */
export interface LogEvent {
  readonly user: User | null;
  readonly loggedIn: boolean;
  readonly track: Track | null;
  readonly level: Level;
  readonly page: string;
  readonly item: number;
  readonly sessionId: number;
  readonly ts: number;
}

interface PageFragments {
  /** `"method":"PUT","page":"NextSong",` */
  readonly request: number;
  /** `,"status":200,"ts":` */
  readonly status: number;
}

/** Fragments per user (logged in); index 0 of each list is the logged-out variant. */
interface PersonFragments {
  /** `,"auth":"Logged In","firstName":"Ann","gender":"F","itemInSession":` */
  readonly auth: number;
  /** `,"lastName":"Lee","length":` */
  readonly lastName: number;
  /** `,"level":"free","location":"Madison, WI",` */
  readonly free: number;
  readonly paid: number;
  /** `"registration":1540919166796.0,"sessionId":` */
  readonly registration: number;
  /** `,"userAgent":"Mozilla\/5.0 …","userId":"39"}` */
  readonly tail: number;
}

const REQUESTS: Readonly<Record<string, readonly [method: 'GET' | 'PUT', status: number]>> = {
  NextSong: ['PUT', 200],
  Home: ['GET', 200],
  Login: ['PUT', 307],
  Logout: ['PUT', 307],
  Settings: ['GET', 200],
  'Save Settings': ['PUT', 307],
  Help: ['GET', 200],
  About: ['GET', 200],
  Error: ['GET', 404],
  Upgrade: ['GET', 200],
  Downgrade: ['GET', 200],
  'Submit Upgrade': ['PUT', 307],
  'Submit Downgrade': ['PUT', 307],
};

/** Every page the generator writes. */
export const PAGES: readonly string[] = Object.keys(REQUESTS);

const MAX_INTEGER_DIGITS = 16;

export class EventEncoder {
  private readonly table = new FragmentTable();
  private readonly pages = new Map<string, PageFragments>();
  private readonly persons: PersonFragments[];
  private readonly loggedOut: PersonFragments;
  private readonly nullTrack: number;
  /** The bytes no line exceeds. */
  readonly maxLineBytes: number;

  constructor(tracks: readonly Track[], users: readonly User[]) {
    const table = this.table;
    // Per track: `{"artist":"…"`, `246.30812`, `,"song":"…"` at ids 3·id, 3·id+1, 3·id+2.
    tracks.forEach((track, index) => {
      if (track.id !== index) throw new RangeError(`track ${track.id} at index ${index}`);
      table.add(`{"artist":${jsonString(track.artist, 'log')}`);
      table.add(jsonFloat(track.length, 5));
      table.add(`,"song":${jsonString(track.title, 'log')}`);
    });
    this.nullTrack = table.add('{"artist":null');
    table.add('null');
    table.add(',"song":null');
    for (const [page, [method, status]] of Object.entries(REQUESTS)) {
      this.pages.set(page, {
        request: table.add(`"method":"${method}","page":${jsonString(page, 'log')},`),
        status: table.add(`,"status":${status},"ts":`),
      });
    }
    this.loggedOut = this.person('"Logged Out"', 'null', 'null', 'null', 'null', 'null', 'null', '""');
    this.persons = users.map(({ json }) =>
      this.person('"Logged In"', json.firstName, json.gender, json.lastName, json.location, json.registration, json.userAgent, json.userId),
    );
    table.seal();

    const size = (id: number): number => table.length(id);
    const personBytes = (p: PersonFragments): number =>
      size(p.auth) + size(p.lastName) + Math.max(size(p.free), size(p.paid)) + size(p.registration) + size(p.tail);
    let trackBytes = 0;
    for (let id = 0; id <= tracks.length; id++) trackBytes = Math.max(trackBytes, size(3 * id) + size(3 * id + 1) + size(3 * id + 2));
    let pageBytes = 0;
    for (const page of this.pages.values()) pageBytes = Math.max(pageBytes, size(page.request) + size(page.status));
    this.maxLineBytes =
      1 + trackBytes + this.persons.reduce((max, p) => Math.max(max, personBytes(p)), personBytes(this.loggedOut)) + pageBytes + 3 * MAX_INTEGER_DIGITS;
  }

  /** Writes one line (after a newline unless `first`) at `position`; returns the end. */
  encode(event: LogEvent, first: boolean, target: Buffer, position: number): number {
    const table = this.table;
    const person = event.loggedIn && event.user ? (this.persons[event.user.id - 1] ?? this.loggedOut) : this.loggedOut;
    const page = this.pages.get(event.page);
    if (!page) throw new RangeError(`unknown page ${event.page}`);
    const track = event.track ? 3 * event.track.id : this.nullTrack;
    let at = position;
    if (!first) target[at++] = 0x0a;
    at = table.copy(track, target, at);
    at = table.copy(person.auth, target, at);
    at = writeInteger(event.item, target, at);
    at = table.copy(person.lastName, target, at);
    at = table.copy(track + 1, target, at);
    at = table.copy(event.level === 'paid' ? person.paid : person.free, target, at);
    at = table.copy(page.request, target, at);
    at = table.copy(person.registration, target, at);
    at = writeInteger(event.sessionId, target, at);
    at = table.copy(track + 2, target, at);
    at = table.copy(page.status, target, at);
    at = writeInteger(event.ts, target, at);
    return table.copy(person.tail, target, at);
  }

  private person(
    auth: string,
    firstName: string,
    gender: string,
    lastName: string,
    location: string,
    registration: string,
    userAgent: string,
    userId: string,
  ): PersonFragments {
    const table = this.table;
    return {
      auth: table.add(`,"auth":${auth},"firstName":${firstName},"gender":${gender},"itemInSession":`),
      lastName: table.add(`,"lastName":${lastName},"length":`),
      free: table.add(`,"level":"free","location":${location},`),
      paid: table.add(`,"level":"paid","location":${location},`),
      registration: table.add(`"registration":${registration},"sessionId":`),
      tail: table.add(`,"userAgent":${userAgent},"userId":${userId}}`),
    };
  }
}

/** A non-negative safe integer in decimal. */
function writeInteger(value: number, target: Buffer, position: number): number {
  if (!(value >= 0 && Number.isSafeInteger(value))) throw new RangeError(`not a non-negative integer: ${value}`);
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = position + digits - 1; i >= position; i--) {
    target[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return position + digits;
}
