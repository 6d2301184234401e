import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { href, type Route } from '../../app/router';
import { t, type MessageKey } from '../../i18n';
import { Board } from './board/Board';
import { SETTINGS_SECTIONS, Settings, type SettingsSection } from './settings/Settings';
import { Portfolios } from './portfolios/Portfolios';
import { Contacts } from './contacts/Contacts';
import './admin.css';

/**
 * The administration area (role admin): a menu of its screens and the
 * chosen one. Each screen is a module of its own under screens/admin/.
 */
export function AdminScreen({ route }: { route: Route }) {
  const section = route.params.section as SettingsSection | undefined;
  const current = route.name === 'admin-settings' ? `settings-${section}` : route.name;
  useEffect(() => {
    document.title = `${t('admin.title')} · atende`;
  }, []);

  const link = (key: string, to: string, label: MessageKey) => (
    <li key={key}>
      <a href={to} aria-current={current === key ? 'page' : undefined}>
        {t(label)}
      </a>
    </li>
  );

  let body: ComponentChildren;
  switch (route.name) {
    case 'admin-board':
      body = <Board />;
      break;
    case 'admin-portfolios':
      body = <Portfolios />;
      break;
    case 'admin-contacts':
      body = <Contacts />;
      break;
    default:
      body = SETTINGS_SECTIONS.includes(section!) ? <Settings section={section!} /> : <Board />;
  }

  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={t('admin.title')}>
        <ul>
          {link('admin-board', href('admin-board'), 'admin.nav.board')}
          {link('admin-portfolios', href('admin-portfolios'), 'admin.nav.portfolios')}
          {link('admin-contacts', href('admin-contacts'), 'admin.nav.contacts')}
        </ul>
        <h2 class="admin-nav-group">{t('admin.nav.settings')}</h2>
        <ul>{SETTINGS_SECTIONS.map((s) => link(`settings-${s}`, href('admin-settings', { section: s }), `admin.settings.${s}` as MessageKey))}</ul>
      </nav>
      <div class="admin-body">{body}</div>
    </div>
  );
}
