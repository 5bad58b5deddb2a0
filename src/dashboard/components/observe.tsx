/** "Observe now": POST /api/v1/systems/{name}/observe with the token. */
import { useState } from 'preact/hooks';
import { ApiError, send } from '../api.ts';
import { useApp } from '../context.ts';
import { apiPath } from '../query.ts';
import { errorText } from './common.tsx';

export function ObserveButton({ system, running, onQueued }: { system: string; running: boolean; onQueued(): void }) {
  const { t, meta, announce } = useApp();
  const [state, setState] = useState<{ kind: 'idle' | 'sending' | 'queued' | 'busy' } | { kind: 'error'; error: unknown }>({ kind: 'idle' });
  const readOnly = meta !== null && !meta.writable;
  const observe = async () => {
    setState({ kind: 'sending' });
    try {
      await send('POST', apiPath('systems', system, 'observe'), {});
      setState({ kind: 'queued' });
      announce(t('observe.queued', { system }));
      onQueued();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'busy') {
        setState({ kind: 'busy' });
        announce(t('observe.busy'));
      } else if (error instanceof ApiError && error.code === 'cancelled') {
        setState({ kind: 'idle' });
      } else {
        setState({ kind: 'error', error });
      }
    }
  };
  const describedBy = `observe-note-${system.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <div class="observe">
      <button type="button" class="primary" onClick={observe} disabled={readOnly || state.kind === 'sending' || running} aria-describedby={describedBy}>
        {running ? t('observe.running') : state.kind === 'sending' ? t('observe.sending') : t('observe.now')}
      </button>
      <span id={describedBy} class="muted" role="status">
        {readOnly ? t('observe.readOnly') : state.kind === 'queued' ? t('observe.queued', { system }) : state.kind === 'busy' ? t('observe.busy') : state.kind === 'error' ? errorText(t, state.error) : ''}
      </span>
    </div>
  );
}
