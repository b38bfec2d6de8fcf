/**
 * One wording for the file and connection errors an operator meets on the command line
 * (a missing file, a missing directory, an unknown host): Chinese first, English in brackets,
 * never Node's raw "ENOENT: no such file or directory, open …" or an "Error:" prefix.
 */

const reasons: Record<string, [zh: string, en: string]> = {
  ENOENT: ['文件或目录不存在', 'no such file or directory'],
  EISDIR: ['这是一个目录', 'is a directory'],
  ENOTDIR: ['路径中有一段不是目录', 'a part of the path is not a directory'],
  EACCES: ['没有权限', 'permission denied'],
  EPERM: ['没有权限', 'permission denied'],
  EEXIST: ['文件已存在', 'file exists'],
  EROFS: ['只读文件系统', 'read-only file system'],
  ENOSPC: ['磁盘空间不足', 'no space left on device'],
  ENOTFOUND: ['找不到主机', 'host not found'],
  ECONNREFUSED: ['连接被拒绝', 'connection refused'],
  ETIMEDOUT: ['连接超时', 'connection timed out'],
};

/**
 * What failed and why, Chinese first: `无法读取方案文件 'plan.txt'：文件或目录不存在 (cannot read plan file: no
 * such file or directory)`. An error without a known system code keeps its own message, without a class prefix.
 */
export function describeSystemError(whatZh: string, whatEn: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? reasons[code] : undefined;
  if (known) return `${whatZh}：${known[0]} (${whatEn}: ${known[1]})`;
  return `${whatZh}：${error instanceof Error ? error.message : String(error)} (${whatEn})`;
}
