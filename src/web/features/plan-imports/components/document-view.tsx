import { type KeyboardEvent, memo, useEffect, useRef } from 'react';
import { useI18n } from '../../../lib/i18n.ts';
import type { DocSegment } from '../extract-model.ts';

export interface DocumentViewProps {
  segments: DocSegment[];
  activeTask: number | null;
  /** Bumped on every request to bring the active task into view (the same task twice flashes twice). */
  scrollRequest: number;
  /** Move keyboard focus to the active task after scrolling (the selection came from the keyboard). */
  focusRequest: boolean;
  onSelectTask: (taskIndex: number, viaKeyboard: boolean) => void;
  labelledBy?: string;
}

/** Restarts a CSS animation on an element that may already carry it. */
export function flash(element: Element, className: string): void {
  element.classList.remove(className);
  // Reading layout forces the removal to apply before the class comes back.
  void (element as HTMLElement).offsetWidth;
  element.classList.add(className);
}

/**
 * Scrolls `element` near the top of its scrolling `container`, without moving the page: the pane
 * may reach below the window while the page is scrolled up, so the top is the part surely seen.
 */
export function scrollWithin(container: HTMLElement | null, element: HTMLElement | null): void {
  if (!container || !element) return;
  const box = container.getBoundingClientRect();
  const target = element.getBoundingClientRect();
  const top = container.scrollTop + (target.top - box.top) - 48;
  if (typeof container.scrollTo === 'function') container.scrollTo({ top: Math.max(0, top), behavior: 'smooth' });
  else container.scrollTop = Math.max(0, top);
}

/**
 * The plan text with the parser's findings highlighted. Rendered from prebuilt segments: one
 * element per task and per highlight, never per character. Each task clause is a button-like
 * element: click or Enter selects its row in the table.
 */
export const DocumentView = memo(function DocumentView({
  segments,
  activeTask,
  scrollRequest,
  focusRequest,
  onSelectTask,
  labelledBy,
}: DocumentViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrollRequest is the trigger, not read.
  useEffect(() => {
    if (activeTask === null) return;
    const element = containerRef.current?.querySelector<HTMLElement>(`[data-task-index="${activeTask}"]`);
    if (!element) return;
    scrollWithin(containerRef.current, element);
    flash(element, 'is-flashing');
    if (focusRequest) element.focus({ preventScroll: true });
  }, [scrollRequest]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, taskIndex: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelectTask(taskIndex, true);
    }
  };

  return (
    <section className="doc-view" ref={containerRef} aria-labelledby={labelledBy}>
      <div className="doc-text" lang="zh-CN">
        {segments.map((segment) =>
          segment.kind === 'text' ? (
            <span key={segment.key}>{segment.text}</span>
          ) : (
            // biome-ignore lint/a11y/useSemanticElements: a <button> cannot hold the clause's line breaks and highlights as flowing text.
            <span
              key={segment.key}
              role="button"
              tabIndex={0}
              className={`doc-task${activeTask === segment.taskIndex ? ' is-active' : ''}`}
              data-task-index={segment.taskIndex}
              aria-pressed={activeTask === segment.taskIndex}
              title={t('imports.review.selectTask', { n: segment.taskIndex + 1 })}
              onClick={() => onSelectTask(segment.taskIndex, false)}
              onKeyDown={(event) => onKeyDown(event, segment.taskIndex)}
            >
              <span className="doc-task-no" aria-hidden>
                {segment.taskIndex + 1}
              </span>
              {segment.parts.map((part) =>
                part.mark ? (
                  <mark key={part.key} className={`doc-mark doc-mark-${part.mark}`}>
                    {part.text}
                  </mark>
                ) : (
                  <span key={part.key}>{part.text}</span>
                ),
              )}
            </span>
          ),
        )}
      </div>
    </section>
  );
});
