/**
 * The hidden way into staff mode, and what shows while staff mode is open.
 *
 * Nothing a visitor sees: the key chord of config.staff.keyChord anywhere on the kiosk's
 * own screens, five taps in the top-left corner of the welcome screen or the launcher
 * (when config.staff.cornerTaps), or the main side's `staff:entryRequested` (the chord
 * pressed while a service page had the keyboard). Each opens the PIN pad over the
 * visitor screens; Cancel returns to them as they were. A right PIN replaces the visitor
 * screens with the staff screen (its own lazily loaded chunk); it goes as soon as staff
 * mode closes, by its button or by itself (`staff:changed`), and the visitor screens
 * come back, following the main side's session from the start.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_STAFF_SETTINGS } from '../../shared/config/schema';
import { eventChannels } from '../../shared/contract';
import { cornerTapsState, matchesKeyChord, parseKeyChord, registerTap, type CornerTapsState } from '../../shared/staff-entry';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';
import { useKioskConfig } from '../bridge/use-kiosk-config';
import { PinPad, receiveStaffStatus, type ReceivedStaffStatus } from './PinPad';

// Its own chunk, with the settings, the tiles editor, their texts and CSS: visitors never download it.
const StaffScreen = lazy(() => import('./StaffScreen'));

const StaffStatusSchema = eventChannels['staff:changed'];

/** The screens on which corner taps count (data-screen): never over a service or a message. */
const TAP_SCREENS = new Set(['welcome', 'launcher']);

type View = { readonly kind: 'visitor' } | { readonly kind: 'pad'; readonly received: ReceivedStaffStatus | null } | { readonly kind: 'staff' };

export interface StaffEntryProps {
  /** The visitor screens; `covered` while the PIN pad is over them. */
  readonly visitor: (covered: boolean) => ReactNode;
}

function StaffLoading() {
  const { t } = useTranslation();
  return (
    <main className="loading">
      <p className="loading-message" role="status">
        {t('loading', { ns: 'welcome' })}
      </p>
    </main>
  );
}

export function StaffEntry({ visitor }: StaffEntryProps) {
  const bridge = useKioskBridge();
  const { config } = useKioskConfig(bridge);
  const [view, setView] = useState<View>({ kind: 'visitor' });
  const viewRef = useRef<View>(view);
  const opening = useRef(false);
  const taps = useRef<CornerTapsState>(cornerTapsState);

  useEffect(() => {
    viewRef.current = view;
  }, [view]);

  const keyChord = config?.staff.keyChord ?? DEFAULT_STAFF_SETTINGS.keyChord;
  const chord = useMemo(() => parseKeyChord(keyChord), [keyChord]);
  const cornerTaps = config?.staff.cornerTaps ?? DEFAULT_STAFF_SETTINGS.cornerTaps;

  const openPad = useCallback(async () => {
    if (opening.current || viewRef.current.kind !== 'visitor') return;
    opening.current = true;
    try {
      const status = await callSafely(() => bridge.staff.status());
      const received = status.ok ? await receiveStaffStatus(bridge, status.value) : null;
      if (viewRef.current.kind === 'visitor') setView({ kind: 'pad', received });
    } finally {
      opening.current = false;
    }
  }, [bridge]);

  // The key chord, before any screen's own keys.
  useEffect(() => {
    if (view.kind !== 'visitor' || chord === null) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!matchesKeyChord(chord, event)) return;
      event.preventDefault();
      event.stopPropagation();
      void openPad();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [view.kind, chord, openPad]);

  // Five taps in the top-left corner of the welcome screen or the launcher.
  useEffect(() => {
    if (view.kind !== 'visitor' || !cornerTaps) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!TAP_SCREENS.has(document.documentElement.dataset.screen ?? '')) {
        taps.current = cornerTapsState;
        return;
      }
      const result = registerTap(taps.current, { x: event.clientX, y: event.clientY, at: performance.now() }, { width: window.innerWidth, height: window.innerHeight });
      taps.current = result.state;
      if (result.open) void openPad();
    };
    window.addEventListener('pointerdown', onPointerDown, true);
    return () => {
      window.removeEventListener('pointerdown', onPointerDown, true);
      taps.current = cornerTapsState;
    };
  }, [view.kind, cornerTaps, openPad]);

  // The chord pressed while a service page had the keyboard.
  useEffect(() => bridge.staff.onEntryRequested(() => void openPad()), [bridge, openPad]);

  // Staff mode closed by itself (or elsewhere): the staff screen goes at once. A status for the pad (unlocked…) updates it.
  useEffect(
    () =>
      bridge.staff.onChanged((payload) => {
        const parsed = StaffStatusSchema.safeParse(payload);
        if (!parsed.success) return;
        const status = parsed.data;
        if (viewRef.current.kind === 'staff' && !status.open) {
          setView({ kind: 'visitor' });
        } else if (viewRef.current.kind === 'pad' && !status.open) {
          void receiveStaffStatus(bridge, status).then((received) => {
            if (viewRef.current.kind === 'pad') setView({ kind: 'pad', received });
          });
        }
      }),
    [bridge],
  );

  const closeStaff = useCallback(async () => {
    // The screen goes whatever the answer: staff mode also closes by itself.
    await callSafely(() => bridge.staff.close());
    setView({ kind: 'visitor' });
  }, [bridge]);

  if (view.kind === 'staff') {
    return (
      <Suspense fallback={<StaffLoading />}>
        <StaffScreen onClose={() => void closeStaff()} />
      </Suspense>
    );
  }

  return (
    <>
      {visitor(view.kind === 'pad')}
      {view.kind === 'pad' && <PinPad received={view.received} onOpened={() => setView({ kind: 'staff' })} onCancel={() => setView({ kind: 'visitor' })} />}
    </>
  );
}
