import { InitialSchema1763856000000 } from './1763856000000-initial-schema';
import { ChatLookups1763856400000 } from './1763856400000-chat-lookups';
import { JobSchedules1763856500000 } from './1763856500000-job-schedules';
import { ConsoleIndexes1763856600000 } from './1763856600000-console-indexes';
import { ConsoleCoveringIndexes1763856600001 } from './1763856600001-console-covering-indexes';
import { Photos1763856800000 } from './1763856800000-photos';
import { PhotoLookups1763856800001 } from './1763856800001-photo-lookups';
import { HouseholdLinkTallies1763857000000 } from './1763857000000-household-link-tallies';
import { SiteTallies1763857100000 } from './1763857100000-site-tallies';
import { LinkLayout1763857200000 } from './1763857200000-link-layout';
import { InboundHandoff1763857300000 } from './1763857300000-inbound-handoff';
import { SweepsAsLoops1763857400000 } from './1763857400000-sweeps-as-loops';
import { HistoryTrueCounts1763857500000 } from './1763857500000-history-true-counts';
import { HouseholdLinkYearColumns1763857600000 } from './1763857600000-household-link-year-columns';
import { RegionRollups1763857700000 } from './1763857700000-region-rollups';
import { HouseholdLinkTalliesYear1763857700001 } from './1763857700001-household-link-tallies-year';
import { ActivityCadreRowLock1763857700002 } from './1763857700002-activity-cadre-row-lock';
import { OvernightStays1763857800000 } from './1763857800000-overnight-stays';
import { ResidentTeam1763857800001 } from './1763857800001-resident-team';
import { ProblemLedger1763857900000 } from './1763857900000-problem-ledger';
import { NoticeSenderNotRecipient1763858000000 } from './1763858000000-notice-sender-not-recipient';
import { DigestYear1763858010000 } from './1763858010000-digest-year';
import { FestivalReminders1763858020000 } from './1763858020000-festival-reminders';
import { NoticeFollowupRhythm1763858030000 } from './1763858030000-notice-followup-rhythm';
import { SessionVersion1763858100000 } from './1763858100000-session-version';
import { Retention1763858200000 } from './1763858200000-retention';
import { MustVisits1763858300000 } from './1763858300000-must-visits';
import { HelpAndInspections1763858400000 } from './1763858400000-help-and-inspections';
import { TapNotType1763858500000 } from './1763858500000-tap-not-type';
import { HelpTalliesRebuild1763858600000 } from './1763858600000-help-tallies-rebuild';
import { Assessment1763858700000 } from './1763858700000-assessment';
import { RecordsAndUrges1763859100000 } from './1763859100000-records-and-urges';
import { VisitsLinkStarted1763859300000 } from './1763859300000-visits-link-started';
import { HouseholdPace1763859400000 } from './1763859400000-household-pace';
import { BulkCover1763859500000 } from './1763859500000-bulk-cover';
import { BulkSorted1763859600000 } from './1763859600000-bulk-sorted';
import { LinkHouseholdIndex1763859700000 } from './1763859700000-link-household-index';

/** Every migration, oldest first. A new migration is added here by hand. */
export const MIGRATIONS = [InitialSchema1763856000000, ChatLookups1763856400000, JobSchedules1763856500000, ConsoleIndexes1763856600000, ConsoleCoveringIndexes1763856600001, Photos1763856800000, PhotoLookups1763856800001,
  HouseholdLinkTallies1763857000000, SiteTallies1763857100000, LinkLayout1763857200000, InboundHandoff1763857300000,
  SweepsAsLoops1763857400000, HistoryTrueCounts1763857500000, HouseholdLinkYearColumns1763857600000, RegionRollups1763857700000, HouseholdLinkTalliesYear1763857700001, ActivityCadreRowLock1763857700002,
  OvernightStays1763857800000, ResidentTeam1763857800001, ProblemLedger1763857900000,
  NoticeSenderNotRecipient1763858000000, DigestYear1763858010000,
  FestivalReminders1763858020000, NoticeFollowupRhythm1763858030000, SessionVersion1763858100000, Retention1763858200000,
  MustVisits1763858300000, HelpAndInspections1763858400000, TapNotType1763858500000,
  HelpTalliesRebuild1763858600000, Assessment1763858700000,
  RecordsAndUrges1763859100000, VisitsLinkStarted1763859300000, HouseholdPace1763859400000,
  BulkCover1763859500000, BulkSorted1763859600000, LinkHouseholdIndex1763859700000];
