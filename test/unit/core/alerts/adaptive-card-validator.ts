// A structural validator for the Adaptive Card 1.4 subset we emit, plus the Teams Workflows envelope. No schema
// package ships in node_modules, so this checks what Teams actually rejects or silently drops: unknown element
// types, misspelt enum values, empty FactSets, non-absolute OpenUrl targets, a version Teams does not render.

type Obj = Record<string, unknown>;

const SPACING = ['None', 'Small', 'Default', 'Medium', 'Large', 'ExtraLarge', 'Padding'];
const ENUMS: Record<string, Record<string, readonly string[]>> = {
  TextBlock: {
    weight: ['Default', 'Lighter', 'Bolder'],
    size: ['Default', 'Small', 'Medium', 'Large', 'ExtraLarge'],
    color: ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'],
    spacing: SPACING,
  },
  Container: { style: ['default', 'emphasis', 'good', 'attention', 'warning', 'accent'], spacing: SPACING },
  FactSet: { spacing: SPACING },
  ActionSet: { spacing: SPACING },
};
const KEYS: Record<string, readonly string[]> = {
  TextBlock: ['type', 'text', 'wrap', 'weight', 'size', 'color', 'isSubtle', 'spacing', 'separator', 'maxLines', 'id'],
  FactSet: ['type', 'facts', 'spacing', 'separator', 'id'],
  Container: ['type', 'items', 'style', 'bleed', 'separator', 'spacing', 'id'],
  ActionSet: ['type', 'actions', 'spacing', 'separator', 'id'],
};

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateTeamsPayload(payload: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(payload) || payload.type !== 'message') return ['envelope: type must be "message"'];
  const atts = payload.attachments;
  if (!Array.isArray(atts) || atts.length !== 1) return ['envelope: exactly one attachment expected'];
  const att: unknown = atts[0];
  if (!isObj(att)) return ['envelope: attachment must be an object'];
  if (att.contentType !== 'application/vnd.microsoft.card.adaptive') errors.push('envelope: wrong contentType');
  if (att.contentUrl !== null) errors.push('envelope: contentUrl must be null');
  return [...errors, ...validateCard(att.content)];
}

export function validateCard(card: unknown): string[] {
  const errors: string[] = [];
  if (!isObj(card)) return ['card: not an object'];
  if (card.type !== 'AdaptiveCard') errors.push('card: type must be AdaptiveCard');
  if (card.version !== '1.4') errors.push(`card: version must be "1.4", got ${String(card.version)}`);
  if (card.$schema !== undefined && typeof card.$schema !== 'string') errors.push('card: $schema must be a string');
  if (!Array.isArray(card.body) || card.body.length === 0) errors.push('card: body must be a non-empty array');
  else card.body.forEach((el: unknown, i) => validateElement(el, `body[${i}]`, errors));
  if (card.actions !== undefined) validateActions(card.actions, 'actions', errors);
  return errors;
}

function validateElement(el: unknown, path: string, errors: string[]): void {
  if (!isObj(el) || typeof el.type !== 'string') return void errors.push(`${path}: element without a type`);
  const allowed = KEYS[el.type];
  if (!allowed) return void errors.push(`${path}: unknown element type ${el.type}`);
  for (const k of Object.keys(el)) if (!allowed.includes(k)) errors.push(`${path}: unknown property ${el.type}.${k}`);
  for (const [prop, values] of Object.entries(ENUMS[el.type] ?? {})) {
    const v = el[prop];
    if (v !== undefined && (typeof v !== 'string' || !values.includes(v))) errors.push(`${path}: bad ${prop} ${JSON.stringify(v)}`);
  }
  for (const flag of ['wrap', 'isSubtle', 'separator', 'bleed']) {
    if (el[flag] !== undefined && typeof el[flag] !== 'boolean') errors.push(`${path}: ${flag} must be boolean`);
  }
  switch (el.type) {
    case 'TextBlock':
      if (typeof el.text !== 'string' || el.text === '') errors.push(`${path}: TextBlock.text must be a non-empty string`);
      break;
    case 'FactSet':
      if (!Array.isArray(el.facts) || el.facts.length === 0) errors.push(`${path}: FactSet.facts must be non-empty`);
      else
        el.facts.forEach((f: unknown, i) => {
          if (!isObj(f) || typeof f.title !== 'string' || typeof f.value !== 'string') errors.push(`${path}.facts[${i}]: title/value strings`);
        });
      break;
    case 'Container':
      if (!Array.isArray(el.items) || el.items.length === 0) errors.push(`${path}: Container.items must be non-empty`);
      else el.items.forEach((c: unknown, i) => validateElement(c, `${path}.items[${i}]`, errors));
      break;
    case 'ActionSet':
      validateActions(el.actions, `${path}.actions`, errors);
      break;
  }
}

function validateActions(actions: unknown, path: string, errors: string[]): void {
  if (!Array.isArray(actions) || actions.length === 0) return void errors.push(`${path}: must be a non-empty array`);
  actions.forEach((a: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(a) || a.type !== 'Action.OpenUrl') return void errors.push(`${p}: only Action.OpenUrl is emitted`);
    if (typeof a.title !== 'string' || a.title === '') errors.push(`${p}: title required`);
    if (typeof a.url !== 'string' || !/^https?:\/\//.test(a.url) || !URL.canParse(a.url)) errors.push(`${p}: url must be absolute http(s)`);
  });
}

/** Every element of a card, depth first (for assertions on what it contains). */
export function walk(card: unknown): Obj[] {
  const out: Obj[] = [];
  const visit = (el: unknown) => {
    if (!isObj(el)) return;
    out.push(el);
    for (const key of ['body', 'items', 'actions']) {
      const kids = el[key];
      if (Array.isArray(kids)) kids.forEach(visit);
    }
  };
  visit(card);
  return out;
}
