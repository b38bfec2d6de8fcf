import { Tree, type TreeDataNode } from 'antd';
import { useMemo } from 'react';
import type { SectionNode } from '../../../../shared/schemas/plan.schema.ts';
import { useI18n } from '../../../lib/i18n.ts';

export const ALL_SECTIONS = '__all__';

function toTreeData(sections: SectionNode[]): TreeDataNode[] {
  return sections.map((section) => ({
    key: section.id,
    title: `${section.path.at(-1) ?? ''} ${section.title}`.trim(),
    children: section.children.length ? toTreeData(section.children) : undefined,
  }));
}

/** The plan's outline (一、(一) 1.): choosing a section narrows the task list to it. */
export function SectionTree({
  sections,
  selectedId,
  onSelect,
}: {
  sections: SectionNode[];
  selectedId: string | undefined;
  onSelect: (sectionId: string | undefined) => void;
}) {
  const { t } = useI18n();
  const treeData = useMemo<TreeDataNode[]>(
    () => [{ key: ALL_SECTIONS, title: t('plan.allTasks') }, ...toTreeData(sections)],
    [sections, t],
  );
  return (
    <Tree
      aria-label={t('plan.outlineLabel')}
      className="section-tree"
      treeData={treeData}
      defaultExpandAll
      blockNode
      selectedKeys={[selectedId ?? ALL_SECTIONS]}
      onSelect={(keys) => {
        const key = keys[0];
        // Clicking the selected node again deselects it in antd; keep the current choice instead.
        if (key === undefined) return;
        onSelect(key === ALL_SECTIONS ? undefined : String(key));
      }}
    />
  );
}
