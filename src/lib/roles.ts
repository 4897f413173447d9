/**
 * The roster's roles (the 角色 column), defined once: the roster import, the
 * cadres entity, the chat and the SQL filters all read these lists.
 */
export const ROLES = ['干部', '队员', '队长', '第一书记', '领导', '管理员'] as const;
export type Role = (typeof ROLES)[number];

/** Roles with a 管辖范围 (scope): they read digests and statistics and act on problems in it. */
export const LEADER_ROLES: readonly Role[] = ['领导', '管理员'];

/** Resident work team (驻村工作队): days on site and resident days count for them. */
export const TEAM_ROLES: readonly Role[] = ['队员', '队长', '第一书记'];

/** The team's leaders: a problem reported at their unit's village by someone not linked to it is theirs. */
export const TEAM_LEADER_ROLES: readonly Role[] = ['队长', '第一书记'];

export const isLeaderRole = (role: string): boolean => (LEADER_ROLES as readonly string[]).includes(role);
export const isTeamRole = (role: string): boolean => (TEAM_ROLES as readonly string[]).includes(role);
