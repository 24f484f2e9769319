import { buildCatalog } from './catalog.js';
import { mojibake, TrackPicker } from './tracks.js';

describe('TrackPicker', () => {
  const catalog = buildCatalog(11, 400);
  const picker = new TrackPicker(catalog, 11, 0.6);
  const songs = catalog.map((entry) => entry.song);
  const exact = new Set(songs.map((s) => JSON.stringify([s.title, s.artistName, s.duration])));
  const unmatched = picker.all.filter((track) => !track.matched);

  it('numbers tracks by position and keeps every catalog song playable', () => {
    picker.all.forEach((track, index) => expect(track.id).toBe(index));
    expect(picker.all.filter((track) => track.matched)).toHaveLength(songs.length);
  });

  it('never matches a song file by accident', () => {
    for (const track of unmatched) expect(exact.has(JSON.stringify([track.title, track.artist, track.length]))).toBe(false);
  });

  it('includes each kind of near miss', () => {
    const sameTitleArtist = unmatched.filter((t) => songs.some((s) => s.title === t.title && s.artistName === t.artist));
    const sameTitleOtherArtist = unmatched.filter(
      (t) => songs.some((s) => s.title === t.title && s.duration === t.length) && !songs.some((s) => s.artistName === t.artist),
    );
    const otherCase = unmatched.filter((t) => songs.some((s) => s.title !== t.title && s.title.toLowerCase() === t.title.toLowerCase()));
    const doubleEncoded = unmatched.filter((t) => songs.some((s) => mojibake(s.artistName) === t.artist && s.artistName !== t.artist));
    expect(sameTitleArtist.length).toBeGreaterThan(0);
    expect(sameTitleOtherArtist.length).toBeGreaterThan(0);
    expect(otherCase.length).toBeGreaterThan(0);
    expect(doubleEncoded.length).toBeGreaterThan(0);
  });

  it('double-encodes accents like the original logs', () => {
    expect(mojibake('Björk')).toBe('Bj\u00c3\u0083\u00c2\u00b6rk');
  });
});
