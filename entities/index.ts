import { Cadre } from './cadre.entity';
import { CadreHouseholdLink } from './cadre-household-link.entity';
import { DiaryEntry } from './diary-entry.entity';
import { Festival } from './festival.entity';
import { Group } from './group.entity';
import { Household } from './household.entity';
import { HouseholdVisit } from './household-visit.entity';
import { InboundMessage } from './inbound-message.entity';
import { JobRun } from './job-run.entity';
import { MustVisit } from './must-visit.entity';
import { Notice } from './notice.entity';
import { NoticeRecipient } from './notice-recipient.entity';
import { OutboxMessage } from './outbox-message.entity';
import { Photo } from './photo.entity';
import { PolicyRule } from './policy-rule.entity';
import { Problem } from './problem.entity';
import { ProblemCategory } from './problem-category.entity';
import { ProblemEvent } from './problem-event.entity';
import { Region } from './region.entity';
import { Unit } from './unit.entity';
import { UnitVillageLink } from './unit-village-link.entity';
import { Village } from './village.entity';
import { Visit } from './visit.entity';

export * from './cadre.entity';
export * from './cadre-household-link.entity';
export * from './diary-entry.entity';
export * from './festival.entity';
export * from './group.entity';
export * from './household.entity';
export * from './household-visit.entity';
export * from './inbound-message.entity';
export * from './job-run.entity';
export * from './must-visit.entity';
export * from './notice.entity';
export * from './notice-recipient.entity';
export * from './outbox-message.entity';
export * from './photo.entity';
export * from './policy-rule.entity';
export * from './problem.entity';
export * from './problem-category.entity';
export * from './problem-event.entity';
export * from './region.entity';
export * from './unit.entity';
export * from './unit-village-link.entity';
export * from './village.entity';
export * from './visit.entity';

export const ENTITIES = [
  Region, Village, Unit, UnitVillageLink, Cadre, Household, CadreHouseholdLink,
  Visit, HouseholdVisit, DiaryEntry, Problem, ProblemEvent, Notice, NoticeRecipient,
  PolicyRule, Festival, InboundMessage, OutboxMessage, Group, JobRun,
  Photo, ProblemCategory, MustVisit,
];
