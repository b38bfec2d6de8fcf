/**
 * `luoshi audit rotate-key`: append a new random key to the audit key file. It becomes the active
 * key (new events, checkpoints); the old keys stay in the file so the events they signed still
 * verify. Restart the server afterwards so it writes with the new key.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { rotateAuditKey } from '../../server/core/audit-key.ts';
import { type CliCommand, CliUsageError, EXIT } from '../cli-command.types.ts';

const USAGE = `Usage: luoshi audit rotate-key

Append a new HMAC key to AUDIT_KEY_FILE (default ./keys/audit.key) and make it the active one.
Old keys stay in the file: never delete them while events they signed are in the log. Restart the
server afterwards, back up the key file again, and write a fresh checkpoint. With AUDIT_KEY set,
rotate by appending ",<new key>" to its value instead.

Options:
  -h, --help   show this help
`;

export const auditRotateKeyCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    try {
      parseArgs({ args, options: {}, allowPositionals: false });
    } catch (err) {
      throw new CliUsageError(err instanceof Error ? err.message : String(err));
    }
    try {
      const { kid, file } = rotateAuditKey(loadConfig());
      io.stdout.write(
        `新密钥 ${kid} 已写入 ${file} 并启用；请重启服务器并重新备份该文件 (new key ${kid} active; restart the server, back up the file)\n`,
      );
      return EXIT.ok;
    } catch (err) {
      io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT.failure;
    }
  },
};
