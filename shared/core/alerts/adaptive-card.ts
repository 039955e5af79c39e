// The subset of Adaptive Cards 1.5 this project emits (adaptivecards.io/explorer). Teams renders card version
// 1.5, which brings `Table` ("Cards reference", learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/
// cards/cards-reference, section "Adaptive Card"). Typed so a builder cannot produce an element Teams would drop;
// the tests parse every card with the maintained `adaptivecards` package.

export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type TextColor = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly weight?: 'Default' | 'Lighter' | 'Bolder';
  readonly size?: 'Default' | 'Small' | 'Medium' | 'Large' | 'ExtraLarge';
  readonly color?: TextColor;
  readonly isSubtle?: boolean;
  readonly spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
}

export interface OpenUrlAction {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly OpenUrlAction[];
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: ContainerStyle;
  readonly bleed?: boolean;
  readonly separator?: boolean;
  readonly spacing?: TextBlock['spacing'];
}

export interface TableCell {
  readonly type: 'TableCell';
  readonly items: readonly CardElement[];
  /** The whole cell opens the item's admin-center page. */
  readonly selectAction?: OpenUrlAction;
}

export interface TableRow {
  readonly type: 'TableRow';
  readonly cells: readonly TableCell[];
}

export interface Table {
  readonly type: 'Table';
  readonly columns: readonly { readonly width: number }[];
  readonly rows: readonly TableRow[];
  readonly firstRowAsHeader?: boolean;
  readonly showGridLines?: boolean;
  readonly spacing?: TextBlock['spacing'];
}

export type CardElement = TextBlock | FactSet | ActionSet | Container | Table;

export interface AdaptiveCard {
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly type: 'AdaptiveCard';
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  readonly actions?: readonly OpenUrlAction[];
  /** Teams extension: use the full message width, so FactSets do not wrap into a narrow column. */
  readonly msteams?: { readonly width: 'Full' };
}

/** The body a Teams Workflows "Post to a channel when a webhook request is received" trigger expects. */
export interface TeamsWorkflowPayload {
  readonly type: 'message';
  readonly attachments: readonly [
    {
      readonly contentType: 'application/vnd.microsoft.card.adaptive';
      readonly contentUrl: null;
      readonly content: AdaptiveCard;
    },
  ];
}
