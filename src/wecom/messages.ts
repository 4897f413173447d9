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
  eventKey?: string;
}

/** WeCom message bodies (docs/wecom.md §4): the msgtype and its object. */
export type OutboundPayload =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'textcard'; textcard: { title: string; description: string; url: string; btntxt?: string } }
  | { msgtype: 'template_card'; template_card: Record<string, unknown> };
