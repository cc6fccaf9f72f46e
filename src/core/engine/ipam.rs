//! The IPAM's table of Pod IPs in use: one 256-bit map per /24 block (a
//! node's podCIDR), found by a linear search over the few blocks a cluster
//! has. It replaces a `BTreeSet<Ipv4Addr>`, whose B-tree code the page paid
//! for once more just for this table.

use std::net::Ipv4Addr;

#[derive(Clone, Debug, Default)]
pub(crate) struct PodIps {
    blocks: Vec<([u8; 3], [u64; 4])>,
}

fn split(ip: Ipv4Addr) -> ([u8; 3], usize, u64) {
    let [a, b, c, d] = ip.octets();
    ([a, b, c], usize::from(d / 64), 1 << (d % 64))
}

impl PodIps {
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        let (block, word, bit) = split(ip);
        self.blocks.iter().any(|(b, bits)| *b == block && bits[word] & bit != 0)
    }

    pub fn insert(&mut self, ip: Ipv4Addr) {
        let (block, word, bit) = split(ip);
        match self.blocks.iter_mut().find(|(b, _)| *b == block) {
            Some((_, bits)) => bits[word] |= bit,
            None => {
                let mut bits = [0; 4];
                bits[word] = bit;
                self.blocks.push((block, bits));
            }
        }
    }

    pub fn remove(&mut self, ip: Ipv4Addr) {
        let (block, word, bit) = split(ip);
        if let Some((_, bits)) = self.blocks.iter_mut().find(|(b, _)| *b == block) {
            bits[word] &= !bit;
        }
    }

    /// Every IP in use, in no particular order.
    #[cfg(any(debug_assertions, test))]
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.blocks.iter().flat_map(|([a, b, c], bits)| {
            (0..=255u8)
                .filter(|d| bits[usize::from(d / 64)] & (1 << (d % 64)) != 0)
                .map(|d| Ipv4Addr::new(*a, *b, *c, d))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_exactly_what_was_inserted_and_not_removed() {
        let mut ips = PodIps::default();
        let a = Ipv4Addr::new(10, 244, 1, 2);
        let b = Ipv4Addr::new(10, 244, 1, 200);
        let c = Ipv4Addr::new(10, 244, 2, 2);
        for ip in [a, b, c] {
            ips.insert(ip);
        }
        assert!(ips.contains(a) && ips.contains(b) && ips.contains(c));
        assert!(!ips.contains(Ipv4Addr::new(10, 244, 2, 200)));
        ips.remove(b);
        assert!(!ips.contains(b) && ips.contains(a));
        assert_eq!(ips.iter().collect::<Vec<_>>(), vec![a, c]);
    }
}
