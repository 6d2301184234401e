import { useEffect } from 'preact/hooks';
import { t } from '../i18n';
import { useStore } from '../state/context';
import { AgentMenu } from '../screens/agent-menu/AgentMenu';
import { ConversationScreen } from '../screens/conversation/ConversationScreen';
import { Inbox } from '../screens/inbox/Inbox';
import { NewConversation } from '../screens/new-conversation/NewConversation';
import { SignIn } from '../screens/signin/SignIn';
import { AdminScreen } from '../screens/admin/AdminScreen';
import { LiveIndicator } from './LiveIndicator';
import { currentHash, href, isAdminRoute, parseRoute } from './router';

/**
 * The console's frame: sign-in, or the header and two panes — the inbox
 * on the left, the open conversation (or Nova conversa) on the right. On
 * narrow screens one pane shows at a time.
 */
export function App() {
  const store = useStore();
  const session = store.auth.session.value;
  if (!session) {
    return <SignIn />;
  }
  const route = parseRoute(currentHash.value, session.agent.role);
  const admin = isAdminRoute(route.name);
  const detail = route.name !== 'inbox';
  return (
    <div class={`shell${detail ? ' shell-detail' : ''}`}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar">
        <a class="brand" href={href('inbox')}>
          atende
        </a>
        <LiveIndicator />
        <span class="spacer" />
        {session.agent.role === 'admin' &&
          (admin ? (
            <a class="button" href={href('inbox')}>
              {t('admin.back')}
            </a>
          ) : (
            <a class="button" href={href('admin-board')}>
              {t('admin.open')}
            </a>
          ))}
        <a class="button primary" href={href('new-conversation')}>
          {t('nav.new_conversation')}
        </a>
        <AgentMenu />
      </header>
      {admin ? (
        <main id="main" class="admin-main">
          <AdminScreen route={route} />
        </main>
      ) : (
        <main id="main" class="panes">
          <div class="pane pane-list">
            <Inbox openId={route.name === 'conversation' ? route.params.id! : null} />
          </div>
          <div class="pane pane-detail">
            {route.name === 'conversation' ? (
              <ConversationScreen id={route.params.id!} />
            ) : route.name === 'new-conversation' ? (
              <NewConversation />
            ) : (
              <EmptyDetail />
            )}
          </div>
        </main>
      )}
    </div>
  );
}

function EmptyDetail() {
  useEffect(() => {
    document.title = 'atende';
  }, []);
  return (
    <div class="empty-detail">
      <p class="muted">{t('inbox.pick')}</p>
    </div>
  );
}
