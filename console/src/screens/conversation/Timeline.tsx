import { usePaged } from '../../components/use-paged';
import { formatDateTime } from '../../i18n/format';
import { t, type MessageKey } from '../../i18n';
import { useStore } from '../../state/context';
import type { TimelineItem } from '../../api/types';
import { assignmentWhy, parseActor } from './message-view';
import { PagedMore } from '../../components/PagedMore';

/** The conversation's audit timeline (GET …/timeline): who, when, what. */
export function Timeline({ conversationId }: { conversationId: string }) {
  const store = useStore();
  const timeline = usePaged((cursor) => store.commands.timeline(conversationId, cursor), conversationId);

  const who = (actor: string) => {
    const a = parseActor(actor);
    switch (a.kind) {
      case 'agent':
        return store.config.name('agents', a.id);
      case 'rule':
        return t('actor.rule', { name: a.name });
      case 'connector':
        return t('actor.connector');
      case 'root':
        return t('actor.root');
      case 'other':
        return a.text;
    }
  };

  return (
    <div class="timeline" tabIndex={0}>
      <ol aria-label={t('timeline.title')}>
        {timeline.items.map((it) => (
          <li key={it.seq}>
            <time dateTime={it.at}>{formatDateTime(it.at)}</time>
            <span class="timeline-who">{who(it.actor)}</span>
            <span class="timeline-what">{it.summary}</span>
            <Audience item={it} name={(id) => store.config.name('agents', id)} team={(id) => store.config.name('teams', id)} portfolio={(id) => store.config.name('portfolios', id)} />
            <code class="muted">{it.type}</code>
          </li>
        ))}
      </ol>
      <PagedMore list={timeline} moreLabel={t('timeline.more')} empty={t('timeline.empty')} />
    </div>
  );
}

/**
 * Who could see and take the conversation, and who got it and why: the
 * waiting list an event put it in (`waiting`), and an assignment's rule
 * and the agents that were eligible at that moment.
 */
function Audience(props: { item: TimelineItem; name: (id: string) => string; team: (id: string) => string; portfolio: (id: string) => string }) {
  const { item } = props;
  const why = assignmentWhy(item);
  const names = (ids: readonly string[]) => (ids.length > 0 ? ids.map(props.name).join(', ') : t('timeline.nobody'));
  return (
    <>
      {item.waiting !== undefined && (
        <span class="timeline-audience">
          {item.waiting === null
            ? t('timeline.left_waiting')
            : item.waiting.portfolios.length > 0
              ? t('timeline.waiting_owners', { team: props.team(item.waiting.team), portfolios: item.waiting.portfolios.map(props.portfolio).join(', '), owners: names(item.waiting.owners) })
              : t('timeline.waiting_team', { team: props.team(item.waiting.team) })}
        </span>
      )}
      {why && (
        <span class="timeline-audience">
          {t('timeline.assigned_why', { agent: props.name(why.agent), rule: ruleName(why.rule), eligible: names(why.eligible) })}
        </span>
      )}
    </>
  );
}

const RULES: Record<string, MessageKey> = {
  take: 'timeline.rule.take',
  admin: 'timeline.rule.admin',
  round_robin: 'timeline.rule.round_robin',
  least_busy: 'timeline.rule.least_busy',
  contact_group: 'timeline.rule.contact_group',
  portfolio: 'timeline.rule.portfolio',
  freed_agent: 'timeline.rule.freed_agent',
};

function ruleName(rule: string): string {
  return RULES[rule] ? t(RULES[rule]) : rule;
}
