/** WeCom message shapes the app reads and writes (docs/wecom.md §2, §4). */

/** A decrypted callback message (or event) as the app acts on it. */
export interface IncomingMessage {
  /** inbound_messages.id of the stored row. */
  inboundId: number;
  msgType: 'text' | 'location' | 'image' | 'event' | string;
  /** WeCom userid of the sender (FromUserName). */
  fromUser: string;
  /** CreateTime, unix seconds. */
  createTime: number;
  msgId?: string;
  /** text */
  content?: string;
  /** location: Location_X / Location_Y (GCJ-02), Label; LOCATION event: Latitude / Longitude */
  latitude?: number;
  longitude?: number;
  label?: string;
  /** image */
  picUrl?: string;
  mediaId?: string;
  /** event */
  event?: string;
  /** click: the menu key; template_card_event: the tapped button's key; location_select: the menu key. */
  eventKey?: string;
  /** template_card_event: the card's task_id, its card_type and the response code of this tap (one update). */
  taskId?: string;
  cardType?: string;
  responseCode?: string;
}

/** WeCom message bodies (docs/wecom.md §4): the msgtype and its object. */
export type OutboundPayload =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'template_card'; template_card: Record<string, unknown>; fallback?: OutboundFallback };

/**
 * What a card becomes when WeCom refuses the card type for the app: the same
 * outbox row sends this instead (never sent to WeCom as a field).
 */
export type OutboundFallback = { msgtype: 'text'; text: { content: string } };

/** A group robot's file message (webhook/send): the media_id webhook/upload_media returned, valid 3 days. */
export type RobotFilePayload = { msgtype: 'file'; file: { media_id: string } };

/**
 * A file for a group robot as an outbox row holds it: the name shown in the group and the
 * bytes (base64). Delivery uploads it (webhook/upload_media) and sends a RobotFilePayload.
 */
export type RobotFileUpload = { msgtype: 'file'; file: { filename: string; base64: string } };

/** message/update_template_card (docs/wecom.md §4): one response code, the userids whose card changes, the new button text. */
export interface CardUpdate {
  response_code: string;
  button: { replace_name: string };
}
