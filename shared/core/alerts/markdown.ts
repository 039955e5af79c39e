// Teams renders Markdown in an Adaptive Card's TextBlock.text, Fact.title and Fact.value ("Format cards in
// Teams", Format cards with Markdown: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format).
// A device named `[Click here to fix](https://evil.example)` would become a link in the operations channel, so
// every text put into a card goes through `cardText`: the card's own Action.OpenUrl buttons are its only links.
//
// Two layers, because Teams clients differ in what they honour:
// 1. Markdown metacharacters get a backslash (CommonMark "Backslash escapes": any ASCII punctuation may be
//    escaped). A client that ignores the escape still shows the backslash between `]` and `(`, which breaks
//    the link syntax all the same.
// 2. Text a client could auto-link (https://…, www.…, evil.example, a@b.example) gets an invisible U+200B
//    ZERO WIDTH SPACE after each ':', '.' and '@' that sits inside a word, so no URL or address is recognised.

const ZWSP = '\u200b';

/** Inline metacharacters: emphasis, code, links and images, autolinks and HTML, tables, entities, card templates. */
const INLINE = /[\\`*_~[\]()<>#|!&{}]/g;

/**
 * Block markers that only count at the start of a line: lists (`-`, `+`, `1.`, `1)`), thematic breaks and setext
 * underlines (`---`, `===`; `***` and `___` are escaped above), and quotes/headings (escaped above). A leading `-`,
 * `+` or `=` is escaped whatever follows it.
 */
const LINE_START = /^(\s*)(?:([-+=])|(\d+)([.)])(?=\s|$))/gm;

/** Leading blanks: four or more make an indented code block (CommonMark "Indented code blocks"). */
const LEADING_BLANKS = /^[ \t\u00a0]+/gm;

// eslint-disable-next-line no-control-regex -- line breaks and other control characters would start new Markdown blocks
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** `value` as literal card text: no Markdown, no links, one line. */
export function cardText(value: string): string {
  return value
    .replace(CONTROL, ' ')
    .replace(LEADING_BLANKS, '')
    .replace(INLINE, (c) => `\\${c}`)
    .replace(LINE_START, (_m, space: string, bullet?: string, digits?: string, mark?: string) =>
      bullet !== undefined ? `${space}\\${bullet}` : `${space}${digits ?? ''}\\${mark ?? ''}`,
    )
    .replace(/([\p{L}\p{N}])([:.@])(?=[\p{L}\p{N}/\\])/gu, `$1$2${ZWSP}`)
    .replace(/([\p{L}\p{N}])@/gu, `$1${ZWSP}@`);
}
