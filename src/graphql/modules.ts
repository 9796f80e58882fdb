// Feature modules register their types, mutations and subscriptions by being imported here.
import './types/BlockedSlot.ts'
import './mutations/createBlockedSlot.ts'
import './subscriptions/blockedSlotsChanged.ts'
