// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Modal } from './Modal';

describe('Modal', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('TakesTheFocusAsItEntersThePageAndGivesItBackAsItLeaves', () => {
    const opener = document.createElement('button');
    opener.textContent = 'Editar';
    const host = document.createElement('div');
    document.body.append(opener, host);
    opener.focus();

    // No waiting: whatever is typed right after the dialog appears goes to
    // its first field, never to what was focused before.
    render(
      <Modal title="Nova pausa" onClose={() => {}}>
        <input aria-label="Nome" />
        <input aria-label="Duração" />
      </Modal>,
      host,
    );
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Nome');

    // And the opener has it back in the same step that removes the dialog.
    render(null, host);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
