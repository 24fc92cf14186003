/**
 * MAIL-2: the lines mail clients write between a reply and the history it quotes, in the languages
 * Casework's customers write in. email-reply-parser knows the English "On … wrote:" family and a
 * few translations; these cover the rest (see docs/mail.md and the corpus in
 * test/fixtures/mail-corpus). Every pattern runs on one line of at most MAX_HEADER_CHARS
 * characters, with bounded quantifiers: no input makes them slow.
 */

/** A quote header longer than this is prose, not a header. */
export const MAX_HEADER_CHARS = 400;

/** The verb that ends an attribution line ("… wrote:"), per language. */
const WROTE = [
  'wrote',
  'writes',
  'schrieb',
  'a écrit',
  'a ecrit',
  'escribió',
  'escreveu',
  'sent',
  'ha scritto',
  'het volgende geschreven',
  'schreef',
  'napisał\\(a\\)',
  'napisał',
  'napisała',
  'pisze',
  'skrev',
  'kirjoitti',
  'написал\\(а\\)',
  'написал',
  'написала',
  'пишет',
  'написав',
  'כתב/ה',
  'כתבה',
  'כתב',
  '写道',
  '寫道',
  'のメッセージ',
  '書きました',
  '書き込みました',
  'napsal\\(a\\)',
  'napsal',
  'yazdı',
  'írta',
  'đã viết',
  'έγραψε',
].join('|');

/** Words that open an attribution line ("On … wrote:"), per language. */
const ON = '(On|Am|Le|El|Em|Il|Op|W dniu|Dnia|Wiadomość napisana przez|Den|På|Vào|Dne|在|於|ב-?|בתאריך)';

/**
 * The verb, not inside a word ("rewrote"), at the end of the line; only the languages that put the
 * name after it ("Am <date> schrieb <name>:", "Op <date> schreef <name>:", "Den <date> skrev
 * <name>:") may have more after it, so "On Monday I wrote the following:" is not a header.
 */
const NOT_IN_WORD = '(?<![\\p{Script=Latin}\\p{Script=Cyrillic}])';
const NAME_AFTER = 'schrieb|schreef|skrev|escribió|escreveu|a écrit';
const VERB_TO_END = `${NOT_IN_WORD}((${WROTE})\\s?[^\\s:：]{0,3}|(${NAME_AFTER})\\s.{1,200})\\s?[:：]\\s*$`;
/** "On <date>, <name> wrote:" and its translations ("Am <date> schrieb <name>:"). */
const ATTRIBUTION = new RegExp(`^\\s{0,8}${ON}\\s.{0,${MAX_HEADER_CHARS}}${VERB_TO_END}`, 'iu');
/** "<name> <email> wrote:" without the opening word: only with an address or a date on the line. */
const LOOSE_ATTRIBUTION = new RegExp(`^.{0,${MAX_HEADER_CHARS}}${VERB_TO_END}`, 'iu');
/**
 * Headers without a verb: mail.ru `Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <a@b.ru>:`,
 * Yandex `26.06.2014, 14:00, "Name" <a@b.ru>:`, Japanese Gmail `2012年4月2日(月) 14:20 Taro <t@x.jp>:`.
 * A date (a digit) and an address ending the line.
 */
const DATE_ADDRESS =
  /^.{0,300}\d.{0,300}(<[^<>\s]{1,200}@[^<>\s]{1,200}>|[^\s<>]{1,100}@[^\s<>]{1,100}\.[a-z]{2,20})\]?\)?\s*[:：]\s*$/iu;

/** Polish Apple Mail: "Wiadomość napisana przez <name> w dniu <date>, o godz. <time>:" (no verb at the end). */
const POLISH_APPLE = /^\s{0,8}Wiadomość napisana przez .{1,300}\d[:：]\s*$/iu;
/** mutt: `* John Doe <john@example.com> [2012-04-02 14:20]:`. */
const MUTT = /^\s{0,8}\*\s.{0,200}<[^<>\s]{1,200}@[^<>\s]{1,200}>\s\[[^\]]{1,60}\][:：]\s*$/u;
/** Old Gmail: `2011/4/7 Nathan <support@example.com>`, no colon. */
export const OLD_GMAIL = /^\s{0,8}\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s.{0,200}<[^<>\s]{1,200}@[^<>\s]{1,200}>\s*[:：]?\s*$/u;
/** Android and others: `---- John Smith wrote ----`, `------On <date>, <name> wrote-----`. */
export const DASHED_ATTRIBUTION = new RegExp(
  `^\\s{0,8}-{2,}\\s?.{1,300}(?<![\\p{Script=Latin}\\p{Script=Cyrillic}])(${WROTE})\\s?-{2,}\\s*$`,
  'iu',
);
/**
 * "On <date>, <name> wrote:" sharing its line with the reply before it or the history after it
 * (Yahoo's plain text, clients that lose a line break): where on the line it starts.
 */
const MID_LINE = new RegExp(`(^|\\s|-{2,}\\s?)(On\\s.{0,300}?(?<![\\p{Script=Latin}])wrote[:：])(\\s|$)`, 'u');
export const midLineAttribution = (line: string): number => {
  if (line.length > MAX_HEADER_CHARS * 4) return -1;
  const m = MID_LINE.exec(line);
  if (!m || !/\d|@/.test(m[2])) return -1;
  // A line that is nothing but the attribution is the ordinary case, handled line by line.
  if (line.trim() === m[2].trim()) return -1;
  return m.index + m[1].length - (m[1].startsWith('-') ? m[1].length : 0);
};

const has = (line: string, re: RegExp) => line.length <= MAX_HEADER_CHARS * 2 && re.test(line);

/** One line (or two or three joined lines of one wrapped header) that introduces quoted history. */
export const isAttribution = (line: string): boolean => {
  if (line.length <= MAX_HEADER_CHARS && (OLD_GMAIL.test(line) || DASHED_ATTRIBUTION.test(line))) return true;
  // Every header ends with a colon: most lines are turned away before any long pattern runs.
  if (line.length > MAX_HEADER_CHARS * 2 || !/[:：]\s*$/.test(line) || /^\s*>/.test(line)) return false;
  if (has(line, ATTRIBUTION)) return true;
  // Without the opening word the verb alone is weak evidence: an address, or a date and no "sent".
  if (has(line, LOOSE_ATTRIBUTION) && (/@/.test(line) || (/\d/.test(line) && !/sent\s?[:：]\s*$/i.test(line)))) return true;
  if (has(line, POLISH_APPLE) || has(line, MUTT)) return true;
  return has(line, DATE_ADDRESS);
};

/** May this line be the first of an attribution wrapped over lines? (A date, an address or "On".) */
const STARTS_WITH_ON = new RegExp(`^\\s{0,8}${ON}\\s`, 'iu');
export const mayStartAttribution = (line: string): boolean =>
  line.length <= MAX_HEADER_CHARS && !/^\s*>/.test(line) && (STARTS_WITH_ON.test(line) || /\d|@/.test(line));

/** Outlook-style header block fields, per language; `*From:*` is Gmail's plain rendering of bold. */
const FROM = [
  'From',
  'Von',
  'De',
  'Da',
  'Van',
  'Od',
  'Från',
  'Fra',
  'Lähettäjä',
  'Afzender',
  'Expéditeur',
  'Remitente',
  'Mittente',
  'Nadawca',
  'Avsändare',
  'От',
  'Від',
  'Отправитель',
  'מאת',
  '发件人',
  '發件人',
  '寄件者',
  '差出人',
  'Từ',
  'Kimden',
].join('|');
const OTHER_FIELDS = [
  'Sent',
  'Date',
  'To',
  'Subject',
  'Cc',
  'Reply-To',
  'Gesendet',
  'Datum',
  'An',
  'Betreff',
  'Envoyé',
  'Envoyé le',
  'À',
  'A',
  'Objet',
  'Enviado',
  'Enviado el',
  'Enviada em',
  'Enviado em',
  'Fecha',
  'Para',
  'Asunto',
  'Assunto',
  'Inviato',
  'Data',
  'Oggetto',
  'Verzonden',
  'Aan',
  'Onderwerp',
  'Wysłano',
  'Wysłane',
  'Do',
  'Temat',
  'Skickat',
  'Till',
  'Ämne',
  'Sendt',
  'Til',
  'Emne',
  'Lähetetty',
  'Vastaanottaja',
  'Aihe',
  'Отправлено',
  'Дата',
  'Кому',
  'Тема',
  'Копия',
  'נשלח',
  'תאריך',
  'אל',
  'נושא',
  '发送时间',
  '日期',
  '收件人',
  '主题',
  '寄件日期',
  '收件者',
  '主旨',
  '送信日時',
  '日付',
  '宛先',
  '件名',
  'Gửi',
  'Tiêu đề',
].join('|');
const FIELD = (names: string) => new RegExp(`^\\s{0,8}[*_]{0,2}(${names})\\s?[*_]{0,2}\\s?[:：]`, 'iu');
export const FROM_FIELD = FIELD(FROM);
export const ANY_FIELD = FIELD(`${FROM}|${OTHER_FIELDS}`);
/** A block may start with its date instead of its sender (GMX, web.de, some list software). */
export const DATE_FIELD = FIELD(
  'Date|Sent|Gesendet|Datum|Envoyé|Enviado|Enviada em|Fecha|Inviato|Data|Verzonden|Wysłano|Skickat|Sendt|Отправлено|Дата|נשלח|תאריך|发送时间|日期|送信日時|日付',
);

/** "-----Original Message-----" and its translations. */
export const ORIGINAL_MESSAGE =
  /^\s{0,8}[-_=]{2,}\s?(Original Message|Original|Ursprüngliche Nachricht|Antwort Nachricht|Originalnachricht|Message d'origine|Message original|Mensaje original|Mensagem original|Messaggio originale|Oorspronkelijk bericht|Origineel bericht|Wiadomość oryginalna|Oryginalna wiadomość|Ursprungligt meddelande|Originalmeddelelse|Oprindelig meddelelse|Opprinnelig melding|Alkuperäinen viesti|Исходное сообщение|Оригинальное сообщение|Вихідне повідомлення|הודעה מקורית|原始邮件|原始郵件|元のメッセージ|Původní zpráva|Reply message|Tin nhắn gốc)\s?[-_=]{2,}\s*$/iu;

/** A forwarded message starts here: what follows is content, not history. */
export const FORWARD_MARKER =
  /^\s{0,8}([-_=]{2,}\s?(Forwarded message|Forwarded Message|Weitergeleitete Nachricht|Message transféré|Mensaje reenviado|Mensagem encaminhada|Mensagem reencaminhada|Messaggio inoltrato|Doorgestuurd bericht|Wiadomość przekazana dalej|Przekazana wiadomość|Vidarebefordrat meddelande|Videresendt meddelelse|Пересылаемое сообщение|Пересланное сообщение|הודעה שהועברה|转发的邮件|轉寄郵件|転送されたメッセージ)\s?[-_=]{0,}|(Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message réexpédié|Début du message transféré|Inicio del mensaje reenviado|Início da mensagem reencaminhada|Inizio messaggio inoltrato|Begin doorgestuurd bericht|Początek przekazywanej wiadomości|Vidarebefordrat brev|Начало переадресованного сообщения|転送されたメッセージ)\s?[:：])\s*$/iu;

/** A forwarded message by its subject (Fwd:, FW:, WG:, TR:, RV:, I:, Doorst:, PD:, VB:, Пересл:, 转发:). */
export const FORWARD_SUBJECT = /^\s{0,8}(fwd?|wg|tr|rv|enc|i|doorst|pd|vb|vs|pfw|пересл|fw|转发|轉寄|転送)\s?[:：]/iu;

/** Outlook's line of underscores above its header block, and a lone `____` signature rule. */
export const UNDERSCORES = /^\s{0,8}_{5,}\s*$/;

/** The signature delimiter `-- ` (RFC 3676) and the bare `--` many clients write. */
export const SIG_DELIMITER = /^(--|-- |—|__)\s*$/;

/** "Sent from my iPhone" and its translations: a client's line, not the customer's words. */
export const MOBILE_SIGNATURE = new RegExp(
  [
    '^\\s{0,8}(',
    [
      'Sent from my .{1,60}',
      'Sent from (Yahoo Mail|Mail|Outlook|my mobile device|Samsung Mobile|AOL Mobile Mail|Huawei|BlueMail|Proton Mail|Gmail Mobile|the all new AOL app).{0,80}',
      'Sent (via|with|using) .{1,60}',
      '(Get|Sent from) Outlook for (iOS|Android).{0,60}',
      'Sent from Mail for Windows.{0,20}',
      'Sent from Samsung .{0,60}',
      'Sent on the go.{0,40}',
      'Gesendet (von|mit|vom) (meinem|meiner|Mail für Windows|Outlook|Yahoo|der|GMX|WEB\\.DE).{0,60}',
      'Von meinem .{1,40} gesendet',
      'Envoyé (de|depuis|à partir de) .{1,60}',
      'Obtenir Outlook pour (iOS|Android)',
      'Enviado (desde|de|do|a partir do|a partir de|com) .{1,60}',
      'Obtener Outlook para (iOS|Android)',
      'Baixe o Outlook para (iOS|Android)',
      'Inviato da .{1,60}',
      'Scarica Outlook per (iOS|Android)',
      'Verzonden (met|vanaf|via) .{1,60}',
      'Outlook voor (iOS|Android) downloaden',
      'Wysłane (z|ze|przy użyciu) .{1,60}',
      'Skickat från .{1,60}',
      'Sendt fra .{1,60}',
      'Lähetetty .{1,40}',
      'Отправлено (с|из|через) .{1,60}',
      'Надіслано з .{1,60}',
      'נשלח מ.{1,60}',
      '发自我的.{1,40}',
      '来自我的.{1,40}',
      '從我的.{1,40}傳送',
      '.{1,30}から送信',
    ].join('|'),
    ')\\.?(\\s?<[^<>\\s]{1,200}>)?\\s*$',
  ].join(''),
  'iu',
);
