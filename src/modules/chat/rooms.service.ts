/**
 * Chat rooms and who may be in them (Postgres side).
 *
 * Access: members of a room, and staff (admin, super_admin) with `chat.read` for the room's ward
 * (a complaint room: the complaint's ward; a support room: its opener's) — staff handle many
 * conversations; a super admin all of them. A citizen opens support rooms, and complaint rooms for their own complaints only.
 * Staff who act in a room (connect, send, read, upload) become members, which is what carries their
 * read position. Everyone else is told the room does not exist (REST 404; the socket says 403).
 */
import type { AuthUser } from "../../lib/tokens";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { chatRoomMembers, chatRooms, complaints } from "../../db/schema";
import type { UserRow } from "../../db/types";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { inStaffWards } from "../admin/staff-scope";
import { isStaff } from "../users/users.service";
import type { MessageType } from "./chat.protocol";
import type { ChatRoomDto, CreateRoomBody } from "./chat.schemas";

export type RoomRow = typeof chatRooms.$inferSelect;

/** The ward a room belongs to, for staff permissions: its complaint's, else its opener's. */
function roomWard(room: SQL): SQL {
  return sql`coalesce((select c.ward_number from complaints c where c.id = ${room}.complaint_id), (select u.ward_number from users u where u.id = ${room}.created_by))`;
}

/** Staff who may read chats in the room's ward (SQL over the room alias/table). */
const staffMayRead = (user: AuthUser, room: SQL) => inStaffWards(user, "chat", "read", roomWard(room));

/** The room's id if `user` may see it (a member, or staff of its ward): a query to batch with the read it guards. */
export function accessibleRoomQuery(services: ServiceContext, user: AuthUser, roomId: string) {
  const member = sql`exists (select 1 from ${chatRoomMembers} m where m.room_id = ${chatRooms.id} and m.user_id = ${user.id})`;
  return services.db
    .select({ id: chatRooms.id })
    .from(chatRooms)
    .where(and(eq(chatRooms.id, roomId), isStaff(user) ? sql`(${member} or ${staffMayRead(user, sql.raw('"chat_rooms"'))})` : member))
    .limit(1);
}

export async function findAccessibleRoom(services: ServiceContext, user: AuthUser, roomId: string): Promise<(RoomRow & { isMember: boolean }) | null> {
  const [row] = await services.db
    .select({
      room: chatRooms,
      isMember: sql<boolean>`exists (select 1 from ${chatRoomMembers} m where m.room_id = ${chatRooms.id} and m.user_id = ${user.id})`,
      staffMay: isStaff(user) ? sql<boolean>`${staffMayRead(user, sql.raw('"chat_rooms"'))}` : sql<boolean>`false`,
    })
    .from(chatRooms)
    .where(eq(chatRooms.id, roomId))
    .limit(1);
  if (!row || (!row.isMember && !row.staffMay)) return null;
  return { ...row.room, isMember: row.isMember };
}

/** The room for an action by `user` (404 otherwise); staff who are not members yet join it. */
export async function roomForAction(services: ServiceContext, user: AuthUser, roomId: string): Promise<RoomRow> {
  const room = await findAccessibleRoom(services, user, roomId);
  if (!room) throw new ApiError("not_found");
  if (!room.isMember) await addMembers(services, roomId, [user.id]);
  return room;
}

export async function addMembers(services: ServiceContext, roomId: string, userIds: string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await services.db
    .insert(chatRoomMembers)
    .values(unique.map((userId) => ({ roomId, userId })))
    .onConflictDoNothing();
}

/**
 * Opens a room. A complaint room is idempotent per complaint (the unique complaint_id decides, so
 * two concurrent opens still make one room): the second call returns the first room. Its members are
 * the complaint's owner, its assignee (if any) and whoever opened it.
 */
export async function createRoom(services: ServiceContext, user: AuthUser, body: CreateRoomBody): Promise<{ roomId: string; created: boolean }> {
  if (body.type === "support") {
    const [room] = await services.db.insert(chatRooms).values({ type: "support", title: body.title ?? null, createdBy: user.id }).returning({ id: chatRooms.id });
    await addMembers(services, room!.id, [user.id]);
    return { roomId: room!.id, created: true };
  }

  const [complaint] = await services.db
    .select({
      id: complaints.id,
      userId: complaints.userId,
      assignedTo: complaints.assignedTo,
      title: complaints.title,
      staffMay: isStaff(user) ? sql<boolean>`${inStaffWards(user, "complaints", "read", sql`${complaints.wardNumber}`)}` : sql<boolean>`false`,
    })
    .from(complaints)
    .where(eq(complaints.id, body.complaint_id!))
    .limit(1);
  if (!complaint || (complaint.userId !== user.id && !complaint.staffMay)) throw new ApiError("not_found");

  const [inserted] = await services.db
    .insert(chatRooms)
    .values({ type: "complaint", complaintId: complaint.id, title: body.title ?? complaint.title, createdBy: user.id })
    .onConflictDoNothing({ target: chatRooms.complaintId })
    .returning({ id: chatRooms.id });
  const roomId =
    inserted?.id ?? (await services.db.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.complaintId, complaint.id)).limit(1))[0]!.id;
  await addMembers(services, roomId, [complaint.userId, user.id, ...(complaint.assignedTo ? [complaint.assignedTo] : [])]);
  return { roomId, created: Boolean(inserted) };
}

// ---------------------------------------------------------------------------------------------
// Listing: one statement for the page (rooms + members + last message + unread count) and one for
// the total, whatever the number of rooms.

interface RoomListRow extends Record<string, unknown> {
  id: string;
  type: "support" | "complaint";
  complaint_id: string | null;
  title: string | null;
  created_by: string | null;
  created_at: string;
  last_activity_at: string;
  last_read_message_id: string | null;
  unread_count: number;
  members: ChatRoomDto["members"];
  lm_id: string | null;
  lm_sender_id: string | null;
  lm_sender_name: string | null;
  lm_message: string | null;
  lm_message_type: MessageType | null;
  lm_file_url: string | null;
  lm_client_msg_id: string | null;
  lm_created_at: string | null;
}

export interface RoomFilters {
  type?: "support" | "complaint";
  /** Only this room (the single-room read). */
  roomId?: string;
}

function visibleRooms(user: AuthUser, filters: RoomFilters) {
  const conditions = [sql`true`];
  // Lists: staff see the support rooms of the wards they may read chats in, and the rooms they are
  // in. One room by id: any room of those wards.
  if (!isStaff(user)) conditions.push(sql`me.user_id is not null`);
  else if (!filters.roomId) conditions.push(sql`(me.user_id is not null or (r.type = 'support' and ${staffMayRead(user, sql`r`)}))`);
  else conditions.push(sql`(me.user_id is not null or ${staffMayRead(user, sql`r`)})`);
  if (filters.type) conditions.push(sql`r.type = ${filters.type}`);
  if (filters.roomId) conditions.push(sql`r.id = ${filters.roomId}::uuid`);
  return sql.join(conditions, sql` and `);
}

const iso = (value: string | Date) => new Date(value).toISOString();

function toRoomDto(row: RoomListRow): ChatRoomDto {
  return {
    id: row.id,
    type: row.type,
    complaint_id: row.complaint_id,
    title: row.title,
    created_by: row.created_by,
    created_at: iso(row.created_at),
    last_activity_at: iso(row.last_activity_at),
    members: row.members,
    last_message: row.lm_id
      ? {
          id: row.lm_id,
          room_id: row.id,
          sender_id: row.lm_sender_id!,
          sender_name: row.lm_sender_name ?? "",
          message: row.lm_message!,
          message_type: row.lm_message_type!,
          file_url: row.lm_file_url,
          client_msg_id: row.lm_client_msg_id,
          created_at: iso(row.lm_created_at!),
        }
      : null,
    unread_count: Number(row.unread_count),
    last_read_message_id: row.last_read_message_id,
  };
}

export async function listRooms(services: ServiceContext, user: AuthUser, filters: RoomFilters, page: PageRequest): Promise<{ rows: ChatRoomDto[]; count: number }> {
  const { limit, offset } = pageLimits(page);
  const where = visibleRooms(user, filters);
  const [list, total] = await services.db.batch([
    services.db.execute<RoomListRow>(sql`
      select r.id, r.type, r.complaint_id, r.title, r.created_by, r.created_at, r.last_activity_at,
             me.last_read_message_id,
             (select count(*) from chat_messages x
               where x.room_id = r.id and x.sender_id <> ${user.id}::uuid
                 and (me.last_read_message_id is null or x.id > me.last_read_message_id))::int as unread_count,
             (select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name, 'user_type', u.user_type) order by m.joined_at, u.id), '[]'::json)
                from chat_room_members m join users u on u.id = m.user_id
               where m.room_id = r.id) as members,
             lm.id as lm_id, lm.sender_id as lm_sender_id, lu.name as lm_sender_name, lm.message as lm_message,
             lm.message_type as lm_message_type, lm.file_url as lm_file_url, lm.client_msg_id as lm_client_msg_id,
             lm.created_at as lm_created_at
        from chat_rooms r
        left join chat_room_members me on me.room_id = r.id and me.user_id = ${user.id}::uuid
        left join lateral (select * from chat_messages m where m.room_id = r.id order by m.id desc limit 1) lm on true
        left join users lu on lu.id = lm.sender_id
       where ${where}
       order by r.last_activity_at desc, r.id desc
       limit ${limit} offset ${offset}`),
    services.db.execute<{ n: number }>(sql`
      select count(*)::int as n
        from chat_rooms r
        left join chat_room_members me on me.room_id = r.id and me.user_id = ${user.id}::uuid
       where ${where}`),
  ]);
  return { rows: list.rows.map(toRoomDto), count: Number(total.rows[0]?.n ?? 0) };
}

export async function getRoom(services: ServiceContext, user: AuthUser, roomId: string): Promise<ChatRoomDto> {
  const { rows } = await listRooms(services, user, { roomId }, { page: 1, page_size: 1 });
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

/** Whether a room exists at all (for the development sync route, which acts for no user). */
export async function roomExists(services: ServiceContext, roomId: string): Promise<boolean> {
  const [row] = await services.db.select({ id: chatRooms.id }).from(chatRooms).where(eq(chatRooms.id, roomId)).limit(1);
  return Boolean(row);
}
