/**
 * NOTE-4: times in mail are the recipient's. The API carries ISO 8601 UTC and clients format it
 * with the user's time zone; mail has no client, so its text is formatted here, in the zone of
 * the person it goes to (`User.timeZone`, from the customer record), for a person to read:
 * `Thu 3 Dec 2026, 14:05 CET`.
 */

const zoneOrUtc = (timeZone: string | undefined): string => {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    // An unknown zone in a record is no reason to send no mail: UTC, which the text then says.
    return 'UTC';
  }
};

/**
 * The zone's short name. No one locale knows every abbreviation (en-US says EST and PST but
 * GMT+1 for Berlin; en-GB says CET but GMT-5 for New York), so a named one is taken from either,
 * and otherwise the offset (`GMT+5:30`), which is unambiguous.
 */
const zoneName = (at: Date, timeZone: string): string => {
  const named = ['en-US', 'en-GB'].map(
    (locale) =>
      new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value ?? '',
  );
  return named.find((n) => n && !/^(GMT|UTC)[+-]/.test(n)) ?? named[0] ?? timeZone;
};

/** `Thu 3 Dec 2026, 14:05 CET`: an ISO time as the recipient reads it; text that is no time is left as is. */
export const localTime = (iso: string, timeZone: string | undefined): string => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const zone = zoneOrUtc(timeZone);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute} ${zoneName(at, zone)}`;
};

/** `14:05` in the recipient's zone: for lines of one conversation whose day and zone are said once. */
export const localClock = (iso: string, timeZone: string | undefined): string => {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zoneOrUtc(timeZone),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
};

/** A maintenance window in the recipient's zone: `Sat 5 Dec 2026, 03:00 – 05:00 CET`, both ends in full across days. */
export const localWindow = (w: { start: string; end: string }, timeZone: string | undefined): string => {
  const [start, end] = [localTime(w.start, timeZone), localTime(w.end, timeZone)];
  const day = (s: string) => s.slice(0, s.indexOf(','));
  return day(start) === day(end)
    ? `${start.slice(0, start.lastIndexOf(' '))} – ${end.slice(end.indexOf(', ') + 2)}`
    : `${start} – ${end}`;
};

const ISO = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z`;

/**
 * CHAT-3: a transcript as stored on the case (ISO UTC, the API's times) as its mail's reader
 * reads it: the start and end in full in their zone, each line's clock time. Only the positions
 * the transcript itself writes (chat.ts transcriptText) are rewritten, never a time someone typed.
 */
export const localTranscript = (text: string, timeZone: string | undefined): string =>
  text
    .split('\n')
    .map((line) =>
      line
        .replace(
          new RegExp(`^(Chat on case \\S+, started )(${ISO})( by )`),
          (_m, a: string, t: string, b: string) => `${a}${localTime(t, timeZone)}${b}`,
        )
        .replace(new RegExp(`^\\[(${ISO})\\] `), (_m, t: string) => `[${localClock(t, timeZone)}] `)
        .replace(new RegExp(`^Ended (${ISO}) \\(`), (_m, t: string) => `Ended ${localTime(t, timeZone)} (`),
    )
    .join('\n');
