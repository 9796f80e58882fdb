/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An invitee books a slot of a published calendar. A contact with this e-mail is made or reused. */
export type BookPublicSlotInput = {
  calendarSlug: string;
  email: string;
  /** Made once per booking attempt by the widget (e.g. a UUID): a retry returns the same booking. */
  idempotencyKey: string;
  name: string;
  notes?: string | null | undefined;
  phone?: string | null | undefined;
  /** A `PublicSlot.start` from publicAvailability. */
  start: string;
  subaccountSlug: string;
  /** The invitee’s zone (shown times). */
  timeZone: string;
};

export type CancelBookingInput = {
  manageToken: string;
  reason?: string | null | undefined;
};

export type PublicBookingStatus =
  | 'BOOKED'
  | 'CANCELLED';

export type RescheduleBookingInput = {
  manageToken: string;
  /** A `PublicSlot.start` from publicAvailability. */
  start: string;
};

type PublicErrorFields_AlreadyConnectedError_Fragment = { __typename: 'AlreadyConnectedError', message: string, code: string };

type PublicErrorFields_AppleIdInUseError_Fragment = { __typename: 'AppleIdInUseError', message: string, code: string };

type PublicErrorFields_AppointmentCancelled_Fragment = { __typename: 'AppointmentCancelled', message: string, code: string };

type PublicErrorFields_CalendarNotBookable_Fragment = { __typename: 'CalendarNotBookable', message: string, code: string };

type PublicErrorFields_CalendarNotFoundError_Fragment = { __typename: 'CalendarNotFoundError', message: string, code: string };

type PublicErrorFields_CalendarNotWritableError_Fragment = { __typename: 'CalendarNotWritableError', message: string, code: string };

type PublicErrorFields_ForbiddenError_Fragment = { __typename: 'ForbiddenError', message: string, code: string };

type PublicErrorFields_ICloudUnavailableError_Fragment = { __typename: 'ICloudUnavailableError', message: string, code: string };

type PublicErrorFields_IdempotencyKeyReusedError_Fragment = { __typename: 'IdempotencyKeyReusedError', message: string, code: string };

type PublicErrorFields_InvalidCredentialsError_Fragment = { __typename: 'InvalidCredentialsError', message: string, code: string };

type PublicErrorFields_InvalidManageTokenError_Fragment = { __typename: 'InvalidManageTokenError', message: string, code: string };

type PublicErrorFields_InvalidWebhookUrl_Fragment = { __typename: 'InvalidWebhookUrl', message: string, code: string };

type PublicErrorFields_NotAnEventCalendarError_Fragment = { __typename: 'NotAnEventCalendarError', message: string, code: string };

type PublicErrorFields_NotFoundError_Fragment = { __typename: 'NotFoundError', message: string, code: string };

type PublicErrorFields_OutsideBookingWindow_Fragment = { __typename: 'OutsideBookingWindow', message: string, code: string };

type PublicErrorFields_RateLimitedError_Fragment = { __typename: 'RateLimitedError', message: string, code: string };

type PublicErrorFields_ReconnectRequiredError_Fragment = { __typename: 'ReconnectRequiredError', message: string, code: string };

type PublicErrorFields_SlotUnavailable_Fragment = { __typename: 'SlotUnavailable', message: string, code: string };

type PublicErrorFields_SlugTakenError_Fragment = { __typename: 'SlugTakenError', message: string, code: string };

type PublicErrorFields_SubscribedCalendarError_Fragment = { __typename: 'SubscribedCalendarError', message: string, code: string };

type PublicErrorFields_SyncInProgressError_Fragment = { __typename: 'SyncInProgressError', message: string, code: string };

type PublicErrorFields_UnsafeWebhookUrl_Fragment = { __typename: 'UnsafeWebhookUrl', message: string, code: string };

type PublicErrorFields_ValidationError_Fragment = { __typename: 'ValidationError', message: string, code: string };

export type PublicErrorFieldsFragment =
  | PublicErrorFields_AlreadyConnectedError_Fragment
  | PublicErrorFields_AppleIdInUseError_Fragment
  | PublicErrorFields_AppointmentCancelled_Fragment
  | PublicErrorFields_CalendarNotBookable_Fragment
  | PublicErrorFields_CalendarNotFoundError_Fragment
  | PublicErrorFields_CalendarNotWritableError_Fragment
  | PublicErrorFields_ForbiddenError_Fragment
  | PublicErrorFields_ICloudUnavailableError_Fragment
  | PublicErrorFields_IdempotencyKeyReusedError_Fragment
  | PublicErrorFields_InvalidCredentialsError_Fragment
  | PublicErrorFields_InvalidManageTokenError_Fragment
  | PublicErrorFields_InvalidWebhookUrl_Fragment
  | PublicErrorFields_NotAnEventCalendarError_Fragment
  | PublicErrorFields_NotFoundError_Fragment
  | PublicErrorFields_OutsideBookingWindow_Fragment
  | PublicErrorFields_RateLimitedError_Fragment
  | PublicErrorFields_ReconnectRequiredError_Fragment
  | PublicErrorFields_SlotUnavailable_Fragment
  | PublicErrorFields_SlugTakenError_Fragment
  | PublicErrorFields_SubscribedCalendarError_Fragment
  | PublicErrorFields_SyncInProgressError_Fragment
  | PublicErrorFields_UnsafeWebhookUrl_Fragment
  | PublicErrorFields_ValidationError_Fragment
;

export type PublicCalendarFieldsFragment = { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null };

export type PublicAvailabilityFieldsFragment = { timeZone: string, from: string, to: string, generatedAt: string, slots: Array<{ start: string, end: string, localStart: string, localEnd: string, seatsLeft: number | null }> };

export type PublicBookingFieldsFragment = { start: string, end: string, status: PublicBookingStatus, inviteeName: string, inviteeEmail: string, calendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } };

export type PublicCalendarQueryVariables = Exact<{
  subaccountSlug: string;
  calendarSlug: string;
}>;


export type PublicCalendarQuery = { publicCalendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } | null };

export type PublicAvailabilityQueryVariables = Exact<{
  subaccountSlug: string;
  calendarSlug: string;
  from: string;
  to: string;
  timeZone: string;
}>;


export type PublicAvailabilityQuery = { publicAvailability: { timeZone: string, from: string, to: string, generatedAt: string, slots: Array<{ start: string, end: string, localStart: string, localEnd: string, seatsLeft: number | null }> } };

export type PublicAvailabilityChangedSubscriptionVariables = Exact<{
  subaccountSlug: string;
  calendarSlug: string;
  from: string;
  to: string;
  timeZone: string;
}>;


export type PublicAvailabilityChangedSubscription = { publicAvailabilityChanged: { timeZone: string, from: string, to: string, generatedAt: string, slots: Array<{ start: string, end: string, localStart: string, localEnd: string, seatsLeft: number | null }> } };

export type BookPublicSlotMutationVariables = Exact<{
  input: BookPublicSlotInput;
}>;


export type BookPublicSlotMutation = { bookPublicSlot:
    | { __typename: 'BookPublicSlotSuccess', manageToken: string, booking: { start: string, end: string, status: PublicBookingStatus, inviteeName: string, inviteeEmail: string, calendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } } }
    | { __typename: 'CalendarNotBookable', message: string, code: string }
    | { __typename: 'CalendarNotFoundError', message: string, code: string }
    | { __typename: 'OutsideBookingWindow', message: string, code: string }
    | { __typename: 'SlotUnavailable', message: string, code: string }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type PublicBookingQueryVariables = Exact<{
  manageToken: string;
}>;


export type PublicBookingQuery = { publicBooking: { start: string, end: string, status: PublicBookingStatus, inviteeName: string, inviteeEmail: string, calendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } } | null };

export type CancelBookingMutationVariables = Exact<{
  input: CancelBookingInput;
}>;


export type CancelBookingMutation = { cancelBooking:
    | { __typename: 'CancelBookingSuccess', booking: { start: string, end: string, status: PublicBookingStatus, inviteeName: string, inviteeEmail: string, calendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } } }
    | { __typename: 'InvalidManageTokenError', message: string, code: string }
    | { __typename: 'ValidationError', message: string, code: string }
   };

export type RescheduleBookingMutationVariables = Exact<{
  input: RescheduleBookingInput;
}>;


export type RescheduleBookingMutation = { rescheduleBooking:
    | { __typename: 'AppointmentCancelled', message: string, code: string }
    | { __typename: 'InvalidManageTokenError', message: string, code: string }
    | { __typename: 'OutsideBookingWindow', message: string, code: string }
    | { __typename: 'RescheduleBookingSuccess', manageToken: string, booking: { start: string, end: string, status: PublicBookingStatus, inviteeName: string, inviteeEmail: string, calendar: { subaccountSlug: string, calendarSlug: string, name: string, description: string | null, subaccountName: string, durationMinutes: number, timeZone: string, bookingWindowDays: number, minimumNoticeMinutes: number, seats: number | null } } }
    | { __typename: 'SlotUnavailable', message: string, code: string }
    | { __typename: 'ValidationError', message: string, code: string }
   };

export const PublicErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PublicErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]} as unknown as DocumentNode<PublicErrorFieldsFragment, unknown>;
export const PublicAvailabilityFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PublicAvailabilityFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PublicAvailability"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"generatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"slots"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"localStart"}},{"kind":"Field","name":{"kind":"Name","value":"localEnd"}},{"kind":"Field","name":{"kind":"Name","value":"seatsLeft"}}]}}]}}]} as unknown as DocumentNode<PublicAvailabilityFieldsFragment, unknown>;
export const PublicCalendarFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PublicCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PublicCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subaccountSlug"}},{"kind":"Field","name":{"kind":"Name","value":"calendarSlug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"subaccountName"}},{"kind":"Field","name":{"kind":"Name","value":"durationMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bookingWindowDays"}},{"kind":"Field","name":{"kind":"Name","value":"minimumNoticeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}}]} as unknown as DocumentNode<PublicCalendarFieldsFragment, unknown>;
export const PublicBookingFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PublicBookingFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PublicBooking"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inviteeName"}},{"kind":"Field","name":{"kind":"Name","value":"inviteeEmail"}},{"kind":"Field","name":{"kind":"Name","value":"calendar"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PublicCalendarFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PublicCalendarFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PublicCalendar"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"subaccountSlug"}},{"kind":"Field","name":{"kind":"Name","value":"calendarSlug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"subaccountName"}},{"kind":"Field","name":{"kind":"Name","value":"durationMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"bookingWindowDays"}},{"kind":"Field","name":{"kind":"Name","value":"minimumNoticeMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"seats"}}]}}]} as unknown as DocumentNode<PublicBookingFieldsFragment, unknown>;
export const PublicCalendarDocument = {"__meta__":{"hash":"2b6a350b0d05c568c027745c3a3ecd3572c5992e76a9ea1e67d75161cc394ed1"}} as unknown as DocumentNode<PublicCalendarQuery, PublicCalendarQueryVariables>;
export const PublicAvailabilityDocument = {"__meta__":{"hash":"2b7f3efc5e07538a0b50a517dea6561802c6adbb927fc9bf4d541b7b0892cfd9"}} as unknown as DocumentNode<PublicAvailabilityQuery, PublicAvailabilityQueryVariables>;
export const PublicAvailabilityChangedDocument = {"__meta__":{"hash":"2a44a343dbb8fd135ae700e25953d2c02fa3daae68c96cc443233122771be119"}} as unknown as DocumentNode<PublicAvailabilityChangedSubscription, PublicAvailabilityChangedSubscriptionVariables>;
export const BookPublicSlotDocument = {"__meta__":{"hash":"3d848659fbec57753498a7352865c50d1b53070b2aea2a451c0f101e7c250600"}} as unknown as DocumentNode<BookPublicSlotMutation, BookPublicSlotMutationVariables>;
export const PublicBookingDocument = {"__meta__":{"hash":"3d72b4b2823ebec4af460f2e8b2f015304599d81ca5181379f4514e456c42866"}} as unknown as DocumentNode<PublicBookingQuery, PublicBookingQueryVariables>;
export const CancelBookingDocument = {"__meta__":{"hash":"feb23e37fef8e4dd1f67f1791e28e0ba28abc6036de8b082ce4d5964d9457316"}} as unknown as DocumentNode<CancelBookingMutation, CancelBookingMutationVariables>;
export const RescheduleBookingDocument = {"__meta__":{"hash":"e69569d53cce1302e3aa512c6df02c33f759b7ba4dd1ce853dc4416af44508a6"}} as unknown as DocumentNode<RescheduleBookingMutation, RescheduleBookingMutationVariables>;