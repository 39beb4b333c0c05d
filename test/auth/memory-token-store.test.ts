/** MemoryTokenStore against the shared TokenStore contract. */
import { MemoryTokenStore } from 'reinhardt';
import { describeTokenStoreContract } from './token-store.contract';

describeTokenStoreContract('MemoryTokenStore', () => new MemoryTokenStore());
