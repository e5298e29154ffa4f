import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.ts';

/** One person who gets a board's weekly process digest, with the time zone of their mail settings (null: never saved). */
export interface DigestRecipient {
	boardId: string;
	userId: string;
	mailTimeZone: string | null;
}

/**
 * Everyone who owns a board's process, board by board: its process owner while they are a member, else its owners
 * (as `readBoardNotice` counts them for the process's other messages).
 */
export async function digestRecipients(db: Db): Promise<DigestRecipient[]> {
	const rows = await selectRows<{ board_id: string; user_id: string; time_zone: string | null }>(
		db,
		sql`select m.board_id, m.user_id, s.time_zone
			from boards b
			join board_members m on m.board_id = b.id
			left join mail_settings s on s.user_id = m.user_id
			where m.user_id = b.process_owner_id
				or (m.role = 'owner' and not exists (select 1 from board_members p where p.board_id = b.id and p.user_id = b.process_owner_id))
			order by m.board_id, m.user_id`
	);
	return rows.map((r) => ({ boardId: r.board_id, userId: r.user_id, mailTimeZone: r.time_zone }));
}
