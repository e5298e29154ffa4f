import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { deleteBoard, renameBoard } from '$lib/server/boards/boards';
import { deleteBoardFiles } from '$lib/server/attachments/service';
import { changeMemberRole, leaveBoard, listMembers, removeMember } from '$lib/server/boards/members';
import { createInvite, listActiveInvites, revokeInvite } from '$lib/server/boards/invites';
import { formAction, orErrorPage, requireUser } from '$lib/server/http';
import { boardNameSchema, inviteSchema, memberRoleSchema, parseForm } from '$lib/server/validation';
import { can } from '$lib/server/auth/permissions';
import { addTeamRole, deleteTeamRole, getProcessOwner, listTeamRoles, setProcessOwner, setTeamRoleHolders } from '$lib/server/boards/team-roles';
import { z } from 'zod';
import { fail } from '@sveltejs/kit';
import { saveBoardAsTemplate } from '$lib/server/templates/save-board';
import { TemplateProblemsError } from '$lib/server/templates/templates';
import { mailInvite, parseInviteEmail } from '$lib/server/mail/invite-mail';
import { getReminderSettings, saveReminderSettings } from '$lib/server/notifications/reminder-settings';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const { board } = await event.parent();
	const { db, clock } = event.locals.ctx;
	const members = await orErrorPage(() => listMembers(db, board.id, user.id));
	const invites = can(board.role, 'manage_invites') ? await listActiveInvites(db, board.id, user.id, clock.now()) : [];
	const [teamRoles, processOwner] = await Promise.all([orErrorPage(() => listTeamRoles(db, board.id, user.id)), getProcessOwner(db, board.id)]);
	const reminders = await getReminderSettings(db, board.id);
	return { members, invites, teamRoles, processOwner, reminders, me: user.id, mailConfigured: event.locals.ctx.mailer.configured };
};

const idSchema = z.object({ id: z.string().min(1).max(64) });
const teamRoleSchema = z.object({ name: z.string().max(200) });
const processOwnerSchema = z.object({ userId: z.string().max(64) });
const deleteSchema = z.object({ confirm: z.string().max(200) });

/** Common prologue of every action: the signed-in user, the form, the context. */
async function begin(event: RequestEvent) {
	const user = requireUser(event);
	return { user, form: await event.request.formData(), ...event.locals.ctx, boardId: event.params.boardId };
}

export const actions: Actions = {
	rename: async (event) => {
		const { user, form, db, clock, boardId } = await begin(event);
		return formAction('rename', form, async () => {
			const { name } = parseForm(boardNameSchema, form);
			await renameBoard(db, boardId, user.id, name, clock.now());
			return { action: 'rename', success: 'Board renamed.' };
		});
	},
	delete: async (event) => {
		const { user, form, db, access, boardId, uploads } = await begin(event);
		const result = await formAction('delete', form, async () => {
			const { confirm } = parseForm(deleteSchema, form);
			await deleteBoard(db, boardId, user.id, confirm);
			access.boardDeleted(boardId);
			await deleteBoardFiles(uploads, boardId);
			return { deleted: true };
		});
		if ('deleted' in result) redirect(303, '/');
		return result;
	},
	invite: async (event) => {
		const { user, form, db, clock, boardId, mailer, jobs, publicOrigin } = await begin(event);
		return formAction('invite', form, async () => {
			const input = parseForm(inviteSchema, form);
			const to = parseInviteEmail(form, mailer);
			const now = clock.now();
			const { token } = await createInvite(db, boardId, user.id, input, now);
			const inviteUrl = `${event.url.origin}/invite/${token}`;
			if (to) await mailInvite(db, jobs, { to, boardId, inviter: user.name, role: input.role, link: `${publicOrigin ?? event.url.origin}/invite/${token}`, expiresAt: new Date(now.getTime() + input.days * 86_400_000) });
			return { action: 'invite', inviteUrl, role: input.role, mailedTo: to };
		});
	},
	revokeInvite: async (event) => {
		const { user, form, db, clock, boardId } = await begin(event);
		return formAction('revokeInvite', form, async () => {
			const { id } = parseForm(idSchema, form);
			await revokeInvite(db, boardId, user.id, id, clock.now());
			return { action: 'revokeInvite', success: 'Invite link revoked.' };
		});
	},
	addTeamRole: async (event) => {
		const { user, form, db, clock, teamRoles, boardId } = await begin(event);
		return formAction('addTeamRole', form, async () => {
			const { name } = parseForm(teamRoleSchema, form);
			await addTeamRole(db, boardId, user.id, name, clock.now(), teamRoles);
			return { action: 'addTeamRole', success: 'Team role added.' };
		});
	},
	deleteTeamRole: async (event) => {
		const { user, form, db, teamRoles, boardId } = await begin(event);
		return formAction('deleteTeamRole', form, async () => {
			const { id } = parseForm(idSchema, form);
			await deleteTeamRole(db, boardId, user.id, id, teamRoles);
			return { action: 'deleteTeamRole', success: 'Team role deleted.' };
		});
	},
	setRoleHolders: async (event) => {
		const { user, form, db, teamRoles, boardId } = await begin(event);
		return formAction('setRoleHolders', form, async () => {
			const { id } = parseForm(idSchema, form);
			const holders = form.getAll('holder').map(String).filter((v) => v.length > 0 && v.length <= 64);
			await setTeamRoleHolders(db, boardId, user.id, id, holders, teamRoles);
			return { action: 'setRoleHolders', success: 'Role holders saved.' };
		});
	},
	setProcessOwner: async (event) => {
		const { user, form, db, boardId } = await begin(event);
		return formAction('setProcessOwner', form, async () => {
			const { userId } = parseForm(processOwnerSchema, form);
			await setProcessOwner(db, boardId, user.id, userId === '' ? null : userId);
			return { action: 'setProcessOwner', success: userId === '' ? 'No process owner now.' : 'Process owner saved.' };
		});
	},
	reminders: async (event) => {
		const { user, form, db, boardId } = await begin(event);
		return formAction('reminders', form, async () => {
			await saveReminderSettings(db, boardId, user.id, form);
			return { action: 'reminders', success: 'Reminder settings saved.' };
		});
	},
	changeRole: async (event) => {
		const { user, form, db, access, clock, boardId } = await begin(event);
		return formAction('changeRole', form, async () => {
			const { userId, role } = parseForm(memberRoleSchema, form);
			await changeMemberRole(db, boardId, user.id, userId, role, clock.now());
			access.membershipChanged(boardId, userId);
			return { action: 'changeRole', success: 'Role updated.' };
		});
	},
	removeMember: async (event) => {
		const { user, form, db, access, clock, boardId } = await begin(event);
		return formAction('removeMember', form, async () => {
			const { id } = parseForm(idSchema, form);
			await removeMember(db, boardId, user.id, id, clock.now());
			access.membershipChanged(boardId, id);
			return { action: 'removeMember', success: 'Member removed.' };
		});
	},
	saveAsTemplate: async (event) => {
		const { user, form, db, clock, documents, boardId } = await begin(event);
		const values: Record<string, string> = { templateName: String(form.get('templateName') ?? '').slice(0, 200), templateDescription: String(form.get('templateDescription') ?? '').slice(0, 4000) };
		return formAction('saveAsTemplate', form, async () => {
			try {
				await saveBoardAsTemplate(db, documents, boardId, user.id, { name: values.templateName!, description: values.templateDescription! }, clock.now());
			} catch (err) {
				// Every problem with the board as a template, by path, so the person can fix the board or the name.
				if (err instanceof TemplateProblemsError) return fail(400, { action: 'saveAsTemplate', message: err.message, problems: err.problems, values });
				throw err;
			}
			return { action: 'saveAsTemplate', success: `Saved as the template “${values.templateName!.trim()}”.` };
		});
	},
	leave: async (event) => {
		const { user, form, db, access, clock, boardId } = await begin(event);
		const result = await formAction('leave', form, async () => {
			await leaveBoard(db, boardId, user.id, clock.now());
			access.membershipChanged(boardId, user.id);
			return { left: true };
		});
		if ('left' in result) redirect(303, '/');
		return result;
	}
};
