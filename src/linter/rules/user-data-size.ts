/** size: user-data over EC2's 16 KB. */
import { instanceViews } from '../launch-view.js';
import type { Rule } from '../types.js';

export const USER_DATA_LIMIT = 16384;

export const userDataSize: Rule = {
  meta: {
    id: 'user-data-size',
    title: 'User-data over 16 KB',
    severity: 'error',
    category: 'size',
    docs: {
      what: 'User-data (the script plus what charter adds: agent and expiry wrapper) over 16,384 bytes before base64, reported as "used / limit".',
      why: 'RunInstances rejects it; the launch fails at apply time.',
      bad: 'userData: ./giant-setup.sh      # 40 KB',
      good: 'userData: ./bootstrap.sh        # downloads the rest from S3, verified by sha256',
      fix: 'Keep user-data a small bootstrap that fetches the rest (from a scoped S3 prefix).',
    },
    messages: {
      tooLarge: 'user-data of launch {{group}} is {{size}} / {{limit}} bytes',
    },
  },
  spec(s, { report }) {
    for (const v of instanceViews(s)) {
      const size = v.launch ? v.launch.userDataSize : v.userData ? Buffer.byteLength(v.userData.text, 'utf8') : 0;
      if (size <= USER_DATA_LIMIT) continue;
      const ptr = v.spec.userData !== undefined ? `${v.ptr}/userData` : `${v.ptr}/userDataScript`;
      report({ at: s.pos(ptr), messageId: 'tooLarge', data: { group: v.group }, context: { size, limit: USER_DATA_LIMIT }, hint: 'keep user-data a small bootstrap', subject: `launch ${v.group}` });
    }
  },
};
