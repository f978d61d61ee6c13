/**
 * The toolbar's display buttons over a fake display control: what each button is called
 * and says, what a press asks for, nothing outside a visitor session, and the buttons in
 * the launcher's top bar and in the service toolbar, where the arrow keys reach them.
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { i18n as I18n } from 'i18next';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it, vi } from 'vitest';
import en from '../../locales/en/common.json';
import fr from '../../locales/fr/common.json';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { KioskConfigSchema } from '../../shared/config/schema';
import { DEFAULT_DISPLAY, TEXT_SIZES, type DisplaySettings, type TextSize } from '../../shared/display-settings';
import { DisplayControls } from '../../renderer/components/DisplayControls';
import { createKioskI18n } from '../../renderer/i18n/kiosk-i18n';
import { DisplayContext, type DisplayControl } from '../../renderer/display/display-context';
import { LauncherScreen } from '../../renderer/screens/LauncherScreen';
import { ServiceScreen } from '../../renderer/screens/ServiceScreen';
import { allVisitorTexts } from './support/all-texts';

/** Every visitor text at once, as the tests' harness gives them (the app loads them per language). */
function textsIn(language: 'en' | 'fr'): I18n {
  return createKioskI18n(language, { resources: allVisitorTexts() });
}

function fakeControl(display: Partial<DisplaySettings> = {}) {
  const change = vi.fn<(next: DisplaySettings) => void>();
  const control: DisplayControl = { display: { ...DEFAULT_DISPLAY, ...display }, change };
  return { control, change };
}

function renderWith(control: DisplayControl | null, children: ReactNode, language: 'en' | 'fr' = 'en') {
  return render(
    <I18nextProvider i18n={textsIn(language)}>
      <DisplayContext value={control}>{children}</DisplayContext>
    </I18nextProvider>,
  );
}

function percent(size: TextSize, language: 'en' | 'fr'): string {
  return new Intl.NumberFormat(language, { style: 'percent' }).format(size / 100);
}

const nothing = () => {};

describe('DisplayControls', () => {
  it('shows nothing outside a visitor session (no display control)', () => {
    const { container } = renderWith(null, <DisplayControls />);
    expect(container.innerHTML).toBe('');
  });

  it('is one group of three buttons, named in the visitor’s language', () => {
    const { control } = fakeControl();
    renderWith(control, <DisplayControls />, 'fr');
    const group = screen.getByRole('group', { name: fr.display.groupLabel });
    expect(within(group).getAllByRole('button').map((button) => button.textContent)).toEqual([
      fr.display.biggerText,
      fr.display.strongColours,
      fr.display.readAloud,
    ]);
  });

  it.each(TEXT_SIZES.map((size, index) => [size, TEXT_SIZES[(index + 1) % TEXT_SIZES.length]!] as const))(
    'at %i %% the text-size button says the size and asks for %i %%',
    async (size, next) => {
      const user = userEvent.setup();
      const { control, change } = fakeControl({ textSize: size, highContrast: true });
      renderWith(control, <DisplayControls />);
      const label = size === 200 ? en.display.normalText : en.display.biggerText;
      const button = screen.getByRole('button', { name: label });
      expect(button.getAttribute('aria-pressed')).toBeNull();
      const description = document.getElementById(button.getAttribute('aria-describedby')!);
      expect(description?.textContent).toBe(`Text size: ${percent(size, 'en')}`);
      // The steps drawn are for the eyes only: the name is the label alone.
      const steps = button.querySelector('.text-size-steps');
      expect(steps?.getAttribute('aria-hidden')).toBe('true');
      expect(button.querySelectorAll('.text-size-step--reached')).toHaveLength(TEXT_SIZES.indexOf(size) + 1);

      await user.click(button);
      expect(change).toHaveBeenCalledExactlyOnceWith({ textSize: next, highContrast: true, readAloud: false });
    },
  );

  it('says the text size as the language writes a percentage', () => {
    const { control } = fakeControl({ textSize: 150 });
    renderWith(control, <DisplayControls />, 'fr');
    const button = screen.getByRole('button', { name: fr.display.biggerText });
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe(
      fr.display.textSizeNow.replace(/\{\{[^}]+\}\}/, percent(150, 'fr')),
    );
  });

  it.each([false, true])('strong colours is a switch (on: %s); a press asks for the other state and keeps the rest', async (on) => {
    const user = userEvent.setup();
    const { control, change } = fakeControl({ textSize: 125, highContrast: on, readAloud: true });
    renderWith(control, <DisplayControls />);
    const button = screen.getByRole('button', { name: en.display.strongColours });
    expect(button.getAttribute('aria-pressed')).toBe(String(on));
    await user.click(button);
    expect(change).toHaveBeenCalledExactlyOnceWith({ textSize: 125, highContrast: !on, readAloud: true });
  });

  it.each([false, true])('read aloud is a switch (on: %s); a press asks for the other state and keeps the rest', async (on) => {
    const user = userEvent.setup();
    const { control, change } = fakeControl({ textSize: 200, highContrast: true, readAloud: on });
    renderWith(control, <DisplayControls />);
    const button = screen.getByRole('button', { name: en.display.readAloud });
    expect(button.getAttribute('aria-pressed')).toBe(String(on));
    await user.click(button);
    expect(change).toHaveBeenCalledExactlyOnceWith({ textSize: 200, highContrast: true, readAloud: !on });
  });
});

describe('the display buttons on the visitor screens', () => {
  const config = KioskConfigSchema.parse(DEFAULT_CONFIG);

  it('sit in the launcher’s top bar, before Help and End session', () => {
    const { control } = fakeControl();
    renderWith(control, <LauncherScreen config={config} language="en" onOpenService={nothing} onHelp={nothing} onEndSession={nothing} />);
    const bar = screen.getByRole('banner');
    const names = within(bar)
      .getAllByRole('button')
      .map((button) => button.textContent);
    expect(names).toEqual([en.display.biggerText, en.display.strongColours, en.display.readAloud, en.toolbar.help, en.toolbar.endSession]);
  });

  it('are absent from the launcher without a display control (the staff’s preview of the tiles)', () => {
    renderWith(null, <LauncherScreen config={config} language="en" onOpenService={nothing} onHelp={nothing} onEndSession={nothing} />);
    expect(screen.queryByRole('group', { name: en.display.groupLabel })).toBeNull();
    expect(screen.getByRole('button', { name: en.toolbar.help })).toBeTruthy();
  });

  function renderService(control: DisplayControl) {
    return renderWith(
      control,
      <ServiceScreen
        label="My taxes"
        shown={null}
        covered={false}
        onArea={nothing}
        onHome={nothing}
        onBack={nothing}
        onHelp={nothing}
        onEndSession={nothing}
        onOpenInNewTab={nothing}
      />,
    );
  }

  it('sit in the service toolbar, where the arrow keys go through them', async () => {
    const user = userEvent.setup();
    const { control } = fakeControl();
    renderService(control);
    const toolbar = screen.getByRole('toolbar', { name: en.toolbar.label });
    const order = [en.toolbar.home, en.toolbar.back, en.display.biggerText, en.display.strongColours, en.display.readAloud, en.toolbar.help, en.toolbar.endSession];
    expect(within(toolbar).getAllByRole('button').map((button) => button.textContent)).toEqual(order);

    within(toolbar).getByRole('button', { name: en.toolbar.back }).focus();
    for (const name of order.slice(2)) {
      await user.keyboard('{ArrowRight}');
      expect(document.activeElement?.textContent).toBe(name);
    }
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.textContent).toBe(en.toolbar.home);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement?.textContent).toBe(en.toolbar.endSession);
  });

  it('in a right-to-left language the left arrow goes on to the next button (the toolbar is mirrored)', async () => {
    const user = userEvent.setup();
    const { control } = fakeControl();
    document.documentElement.dir = 'rtl';
    renderService(control);
    screen.getByRole('button', { name: en.toolbar.home }).focus();
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement?.textContent).toBe(en.toolbar.back);
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(document.activeElement?.textContent).toBe(en.toolbar.endSession);
  });

  it('turns the Back arrow round in right-to-left languages, and no other pictogram', () => {
    const { control } = fakeControl();
    renderService(control);
    const directional = [...document.querySelectorAll('.bar-button-icon--directional')].map((icon) => icon.closest('button')?.textContent);
    expect(directional).toEqual([en.toolbar.back]);
  });
});
