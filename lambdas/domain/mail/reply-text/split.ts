/**
 * MAIL-2: the customer's new words in a plain-text reply, whatever the reply style.
 *
 * - Top-posted (Gmail, Outlook, phones): the text above the first quote header.
 * - Outlook-style history that is not `>`-quoted (a `From:/Sent:` block, `-----Original
 *   Message-----`, an attribution followed by unquoted lines): everything from there on is history.
 * - Bottom-posted (Thunderbird, mutt, mailing lists: one quoted block, the answer below it): the
 *   customer's lines above and below the quote, without the quote and its attribution line.
 * - Inline (answers between two or more quoted blocks): the answers keep the quoted lines they
 *   answer, so "Yes" still reads as an answer; the attribution line and the quoted tail that no
 *   answer follows are dropped. Dropping the quoted lines would leave answers without their
 *   questions; keeping the whole body would keep history nobody answered.
 * - Forwarded (a forward marker, or a forwarding subject, before any quote header): everything is
 *   content.
 * Signatures (`-- `, "Sent from my iPhone" and its translations) are then cut from the end of each
 * answer. Linear in the number of lines; every regex sees one bounded line.
 */
import {
  ANY_FIELD,
  DATE_FIELD,
  FORWARD_MARKER,
  FROM_FIELD,
  isAttribution,
  MAX_HEADER_CHARS,
  mayStartAttribution,
  midLineAttribution,
  MOBILE_SIGNATURE,
  ORIGINAL_MESSAGE,
  SIG_DELIMITER,
  UNDERSCORES,
} from './patterns';

const isQuoted = (l: string) => /^\s{0,3}>/.test(l);
const isBlank = (l: string) => l.trim() === '';

/** Lines of a wrapped attribution, joined: how many lines (1-3) it spans at i, or 0. */
const attributionAt = (lines: string[], i: number): number => {
  if (isAttribution(lines[i])) return 1;
  if (!mayStartAttribution(lines[i])) return 0;
  let joined = lines[i].trim();
  for (let k = 1; k <= 2 && i + k < lines.length; k++) {
    const next = lines[i + k];
    if (isBlank(next) || isQuoted(next) || joined.length > MAX_HEADER_CHARS) return 0;
    // `<` and the address are often split apart: no space inside the brackets.
    joined = `${joined} ${next.trim()}`.replace(/<\s+/g, '<').replace(/\s+>/g, '>');
    if (isAttribution(joined)) return k + 1;
  }
  return 0;
};

/** An Outlook-style header block at i: a From-like field with another field within the next lines. */
const headerBlockAt = (lines: string[], i: number): boolean => {
  if (!ANY_FIELD.test(lines[i])) return false;
  let fields = 1;
  let from = FROM_FIELD.test(lines[i]) || DATE_FIELD.test(lines[i]);
  let seen = 0;
  for (let k = i + 1; k < lines.length && seen < 6; k++) {
    if (isBlank(lines[k])) continue;
    seen++;
    if (!ANY_FIELD.test(lines[k])) {
      // A long From value wraps (name, then [mailto:…] or the address on its own line).
      if (seen === 1 && from) continue;
      break;
    }
    fields++;
    if (FROM_FIELD.test(lines[k])) from = true;
  }
  return from && fields >= 2;
};

const nextNonBlank = (lines: string[], i: number): number => {
  let k = i;
  while (k < lines.length && isBlank(lines[k])) k++;
  return k;
};

export interface Split {
  /** The new text; '' when none could be told from the history. */
  text: string;
  /** The reply's style, for the corpus report and logs. */
  style: 'plain' | 'top' | 'bottom' | 'inline' | 'forward';
}

/** Cuts signatures from the end of one answer block. */
const stripSignature = (block: string[]): string[] => {
  let end = block.length;
  const trimEnd = () => {
    while (end > 0 && isBlank(block[end - 1])) end--;
  };
  trimEnd();
  // Client lines first ("Sent from my iPhone" under a `-- ` signature, or the other way round).
  for (let guard = 0; guard < 4 && end > 0; guard++) {
    const last = block[end - 1];
    if (MOBILE_SIGNATURE.test(last) && last.length < 120) {
      end--;
      trimEnd();
      continue;
    }
    break;
  }
  // A rule left at the end (Outlook's dashes above history it no longer has).
  while (end > 0 && /^\s*[-_=]{5,}\s*$/.test(block[end - 1])) {
    end--;
    trimEnd();
  }
  // `-- ` (or a line of underscores: mailing-list footers) with at most 15 lines below it is a
  // signature; further up it is more likely a rule.
  for (let k = end - 1; k >= 0 && k >= end - 16; k--) {
    if (SIG_DELIMITER.test(block[k]) || UNDERSCORES.test(block[k])) {
      end = k;
      trimEnd();
      break;
    }
  }
  return block.slice(0, end);
};

const join = (lines: string[]) =>
  lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '');

/**
 * A quoted line that the sender's client wrapped inside a link leaves its tail unquoted between
 * two quoted lines (`> View ticket (http://…` / `_nonce=3d)` / `>`): it is still quoted.
 */
const rejoinWrappedQuotes = (lines: string[]): string[] =>
  lines.map((l, i) =>
    i > 0 &&
    i + 1 < lines.length &&
    isQuoted(lines[i - 1]) &&
    isQuoted(lines[i + 1]) &&
    !isQuoted(l) &&
    (l.includes('://') || /^\s*\S{1,200}\)\s*>?\s*$/.test(l))
      ? `> ${l}`
      : l,
  );

export const splitReply = (input: string, opts: { forwarded?: boolean } = {}): Split => {
  const lines = rejoinWrappedQuotes(input.split('\n'));
  // Where unquoted history starts, and the attribution lines that introduce `>` quotes.
  let cut = lines.length;
  const dropped = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isQuoted(line) || isBlank(line)) continue;
    if (FORWARD_MARKER.test(line)) {
      // A forward before any history: the forwarded message is the content.
      return { text: join(lines), style: 'forward' };
    }
    if (ORIGINAL_MESSAGE.test(line) || headerBlockAt(lines, i)) {
      if (opts.forwarded && dropped.size === 0) return { text: join(lines), style: 'forward' };
      cut = i;
      break;
    }
    if (UNDERSCORES.test(line) && headerBlockAt(lines, nextNonBlank(lines, i + 1))) {
      if (opts.forwarded && dropped.size === 0) return { text: join(lines), style: 'forward' };
      cut = i;
      break;
    }
    const mid = midLineAttribution(line);
    if (mid >= 0) {
      // The reply and the attribution share a line: keep what comes before it.
      lines[i] = line.slice(0, mid).trimEnd();
      cut = i + 1;
      break;
    }
    const span = attributionAt(lines, i);
    if (span > 0) {
      const after = nextNonBlank(lines, i + span);
      if (after < lines.length && isQuoted(lines[after])) {
        for (let k = i; k < i + span; k++) dropped.add(k);
        i += span - 1;
        continue;
      }
      // An attribution over unquoted lines (HTML flattened to text, Outlook): history from here.
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut).map((l, i) => (dropped.has(i) ? undefined : l));
  // Runs of quoted lines and of answers, in order.
  type Run = { quoted: boolean; lines: string[] };
  const runs: Run[] = [];
  for (const l of kept) {
    if (l === undefined) continue;
    const quoted = isQuoted(l);
    const last = runs[runs.length - 1];
    if (isBlank(l)) {
      if (last) last.lines.push(l);
      else runs.push({ quoted: false, lines: [l] });
      continue;
    }
    if (last && last.quoted === quoted) last.lines.push(l);
    else runs.push({ quoted, lines: [l] });
  }
  const hasAnswer = (r: Run) => !r.quoted && r.lines.some((l) => !isBlank(l));
  let lastAnswer = runs.length - 1;
  while (lastAnswer >= 0 && !hasAnswer(runs[lastAnswer])) lastAnswer--;
  const answered = runs.filter((r, i) => r.quoted && i < lastAnswer);
  const answers = runs.filter(hasAnswer).map((r) => ({ ...r, lines: stripSignature(r.lines) }));
  const cutStyle = cut < lines.length ? 'top' : 'plain';
  if (!runs.some((r) => r.quoted)) return { text: join(answers.flatMap((r) => r.lines)), style: cutStyle };
  if (answered.length === 0) {
    const before = runs.findIndex((r) => r.quoted);
    return { text: join(runs.slice(0, before).flatMap((r) => stripSignature(r.lines))), style: 'top' };
  }
  if (answered.length === 1) return { text: join(answers.flatMap((r) => [...r.lines, ''])), style: 'bottom' };
  // Inline: answers with the quoted lines they answer; the unanswered quoted tail goes.
  const out: string[] = [];
  for (const r of runs.slice(0, lastAnswer + 1)) {
    if (r.quoted) out.push(...r.lines);
    else out.push(...stripSignature(r.lines), ...(isBlank(r.lines[r.lines.length - 1]) ? [''] : []));
  }
  return { text: join(out), style: 'inline' };
};
