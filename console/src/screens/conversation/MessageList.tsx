import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ConversationDetail } from '../../api/types';
import { t } from '../../i18n';
import { contactName } from '../../lib/phone';
import { useStore } from '../../state/context';
import { MessageBubble } from './MessageBubble';
import { quoted } from './message-view';

/** The conversation's messages, oldest first, kept scrolled to the newest. */
export function MessageList({ conversation, canReply }: { conversation: ConversationDetail; canReply: boolean }) {
  const store = useStore();
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const messages = conversation.messages;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages.length, conversation.id]);

  useEffect(() => {
    stick.current = true;
  }, [conversation.id]);

  const onScroll = () => {
    const el = ref.current;
    if (el) {
      stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    }
  };

  if (messages.length === 0) {
    return <p class="messages-empty muted">{t('conversation.no_messages')}</p>;
  }
  return (
    <ol class="messages" ref={ref} onScroll={onScroll} aria-label={t('conversation.messages')} aria-live="polite" aria-relevant="additions" tabIndex={0}>
      {messages.map((m) => (
        <MessageBubble
          key={m.id}
          message={m}
          quote={quoted(messages, m.reply_to)}
          contactName={contactName(conversation.contact)}
          {...(canReply
            ? {
                onReply: () => store.composer.setReplyTo(conversation.id, m.id),
                onReact: (emoji: string) => store.commands.react(conversation.id, m.id, emoji),
                onRetryTemplate: () => store.composer.openPicker(conversation.id),
              }
            : {})}
        />
      ))}
    </ol>
  );
}
