import { Grid } from 'antd';

/**
 * Whether the screen is phone-sized (narrower than antd's `md`, 768 px): county staff report from
 * their phones, so wide tables become card lists there. The first render (before antd has measured)
 * is the desktop layout.
 */
export function useIsPhone(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}
