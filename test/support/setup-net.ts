import { useSequentialConnects } from '../../src/net-defaults';

useSequentialConnects();
