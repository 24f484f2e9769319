/**
 * Word lists the generator draws from. Invented or public general knowledge (common names, city
 * coordinates, browser user-agent formats); nothing here is taken from the Udacity sample.
 */

export const FIRST_NAMES_F: readonly string[] = [
  'Amelia', 'Ava', 'Brooke', 'Camila', 'Chloe', 'Claire', 'Daisy', 'Elena', 'Emily', 'Emma',
  'Eva', 'Grace', 'Hannah', 'Harper', 'Isabel', 'Ivy', 'Jade', 'Julia', 'Layla', 'Leah',
  'Lily', 'Lucy', 'Maya', 'Mia', 'Nora', 'Olivia', 'Paige', 'Quinn', 'Riley', 'Rosa',
  'Ruby', 'Sadie', 'Sofia', 'Stella', 'Tessa', 'Violet', 'Willow', 'Zoe', 'Renée', 'Zoë',
];

export const FIRST_NAMES_M: readonly string[] = [
  'Aaron', 'Adrian', 'Alex', 'Andre', 'Ben', 'Caleb', 'Carlos', 'Daniel', 'Dylan', 'Eli',
  'Ethan', 'Felix', 'Gabriel', 'Henry', 'Hugo', 'Isaac', 'Jack', 'Jonah', 'Julian', 'Kai',
  'Leo', 'Liam', 'Lucas', 'Marcus', 'Mason', 'Miles', 'Nathan', 'Noah', 'Oscar', 'Owen',
  'Reid', 'Ryan', 'Samuel', 'Theo', 'Tyler', 'Victor', 'Wyatt', 'Xavier', 'José', 'Zachary',
];

export const LAST_NAMES: readonly string[] = [
  'Abbott', 'Alvarez', 'Bennett', 'Brooks', 'Carter', 'Chen', 'Clarke', 'Coleman', 'Diaz',
  'Dunn', 'Ellis', 'Fischer', 'Flores', 'Foster', 'Garner', 'Gray', 'Hale', 'Hayes', 'Holt',
  'Hughes', 'Ingram', 'Jensen', 'Kaur', 'Keller', 'Kim', 'Lane', 'Lopez', 'Marsh', 'Meyer',
  'Miller', 'Moreno', 'Nash', 'Nguyen', 'Novak', "O'Brien", 'Ortiz', 'Park', 'Patel', 'Price',
  'Quinn', 'Ramos', 'Reyes', 'Rhodes', 'Rossi', 'Sato', 'Shaw', 'Silva', 'Stone', 'Tran',
  'Turner', 'Vance', 'Wagner', 'Walsh', 'Webb', 'Wolfe', 'Wu', 'Young', 'Zimmer', 'Muñoz', 'Jäger',
];

/** User home areas, in the census metro-area style the logs use. */
export const USER_LOCATIONS: readonly string[] = [
  'New York-Newark-Jersey City, NY-NJ-PA',
  'Los Angeles-Long Beach-Anaheim, CA',
  'Chicago-Naperville-Elgin, IL-IN-WI',
  'Dallas-Fort Worth-Arlington, TX',
  'Houston-The Woodlands-Sugar Land, TX',
  'Washington-Arlington-Alexandria, DC-VA-MD-WV',
  'Miami-Fort Lauderdale-West Palm Beach, FL',
  'Philadelphia-Camden-Wilmington, PA-NJ-DE-MD',
  'Atlanta-Sandy Springs-Roswell, GA',
  'Boston-Cambridge-Newton, MA-NH',
  'Phoenix-Mesa-Scottsdale, AZ',
  'San Francisco-Oakland-Hayward, CA',
  'Riverside-San Bernardino-Ontario, CA',
  'Detroit-Warren-Dearborn, MI',
  'Seattle-Tacoma-Bellevue, WA',
  'Minneapolis-St. Paul-Bloomington, MN-WI',
  'San Diego-Carlsbad, CA',
  'Tampa-St. Petersburg-Clearwater, FL',
  'Denver-Aurora-Lakewood, CO',
  'St. Louis, MO-IL',
  'Baltimore-Columbia-Towson, MD',
  'Portland-Vancouver-Hillsboro, OR-WA',
  'Charlotte-Concord-Gastonia, NC-SC',
  'San Antonio-New Braunfels, TX',
  'Orlando-Kissimmee-Sanford, FL',
  'Sacramento--Roseville--Arden-Arcade, CA',
  'Pittsburgh, PA',
  'Las Vegas-Henderson-Paradise, NV',
  'Austin-Round Rock, TX',
  'Nashville-Davidson--Murfreesboro--Franklin, TN',
  'Salt Lake City, UT',
  'Raleigh, NC',
  'Madison, WI',
  'Burlington-South Burlington, VT',
  'Lansing-East Lansing, MI',
  'Anchorage, AK',
  'Urban Honolulu, HI',
  'Bismarck, ND',
];

/**
 * Browsers of the period on several systems and devices. Weights are rough shares: desktop
 * Chrome and Safari dominate, then Firefox, mobile, Internet Explorer.
 */
export const USER_AGENTS: readonly (readonly [agent: string, weight: number])[] = [
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36', 12],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.77 Safari/537.36', 10],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.67 Safari/537.36', 9],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Safari/605.1.15', 8],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_5) AppleWebKit/600.8.9 (KHTML, like Gecko) Version/8.0.8 Safari/600.8.9', 4],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:63.0) Gecko/20100101 Firefox/63.0', 7],
  ['Mozilla/5.0 (Windows NT 6.1; rv:52.0) Gecko/20100101 Firefox/52.0', 3],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.13; rv:62.0) Gecko/20100101 Firefox/62.0', 4],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/69.0.3497.81 Chrome/69.0.3497.81 Safari/537.36', 5],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:63.0) Gecko/20100101 Firefox/63.0', 3],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 12_0_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Mobile/15E148 Safari/604.1', 8],
  ['Mozilla/5.0 (iPad; CPU OS 11_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/11.0 Mobile/15E148 Safari/604.1', 3],
  ['Mozilla/5.0 (Linux; Android 8.1.0; Pixel 2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.64 Mobile Safari/537.36', 5],
  ['Mozilla/5.0 (Linux; Android 7.0; SM-G930V) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0.3497.100 Mobile Safari/537.36', 4],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', 3],
  ['Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)', 1],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/64.0.3282.140 Safari/537.36 Edge/17.17134', 2],
];

/** Artist home towns with coordinates (5 decimals, like the Million Song Dataset). */
export const ARTIST_PLACES: readonly (readonly [location: string, latitude: number, longitude: number])[] = [
  ['New York, NY', 40.71455, -74.00712],
  ['Brooklyn, NY', 40.65507, -73.94888],
  ['Los Angeles, CA', 34.05349, -118.24532],
  ['Chicago, IL', 41.88415, -87.63241],
  ['Detroit, MI', 42.33168, -83.04792],
  ['Nashville, TN', 36.16778, -86.77836],
  ['Memphis, TN', 35.14968, -90.04892],
  ['New Orleans, LA', 29.95369, -90.07771],
  ['Austin, TX', 30.26759, -97.74299],
  ['Seattle, WA', 47.60356, -122.32944],
  ['Portland, OR', 45.51179, -122.67563],
  ['San Francisco, CA', 37.77916, -122.42005],
  ['Atlanta, GA', 33.74831, -84.39111],
  ['Minneapolis, MN', 44.97903, -93.26493],
  ['Athens, GA', 33.95977, -83.37668],
  ['Kingston, Jamaica', 17.99702, -76.79358],
  ['London, England', 51.50632, -0.12714],
  ['Manchester, England', 53.4796, -2.24881],
  ['Liverpool, England', 53.41078, -2.97794],
  ['Glasgow, Scotland', 55.85715, -4.24405],
  ['Dublin, Ireland', 53.34376, -6.24953],
  ['Paris, France', 48.85692, 2.3412],
  ['Berlin, Germany', 52.51607, 13.37698],
  ['Hamburg, Germany', 53.55334, 9.99245],
  ['Stockholm, Sweden', 59.33217, 18.06243],
  ['Reykjavík, Iceland', 64.13559, -21.89541],
  ['Oslo, Norway', 59.91228, 10.74998],
  ['Amsterdam, Netherlands', 52.37312, 4.89319],
  ['Madrid, Spain', 40.42028, -3.70577],
  ['Lisbon, Portugal', 38.72567, -9.1501],
  ['Rome, Italy', 41.90311, 12.49576],
  ['Montréal, Québec, Canada', 45.51228, -73.55439],
  ['Toronto, Ontario, Canada', 43.64856, -79.38533],
  ['Vancouver, BC, Canada', 49.26044, -123.11403],
  ['Mexico City, Mexico', 19.43195, -99.13315],
  ['Havana, Cuba', 23.13533, -82.35908],
  ['San Juan, Puerto Rico', 18.46654, -66.10571],
  ['Rio de Janeiro, Brazil', -22.97673, -43.19508],
  ['São Paulo, Brazil', -23.56287, -46.65468],
  ['Buenos Aires, Argentina', -34.60852, -58.37354],
  ['Bogotá, Colombia', 4.59805, -74.07609],
  ['Lagos, Nigeria', 6.44262, 3.39198],
  ['Bamako, Mali', 12.65, -8],
  ['Kinshasa, Congo', -4.32459, 15.32146],
  ['Tokyo, Japan', 35.68395, 139.80882],
  ['Seoul, South Korea', 37.55676, 126.99039],
  ['Sydney, Australia', -33.86963, 151.20695],
  ['Melbourne, Australia', -37.81753, 144.96715],
  ['Auckland, New Zealand', -36.84846, 174.76331],
  ['Cape Town, South Africa', -33.92422, 18.42437],
];

/** Free-text locations artists gave without coordinates. */
export const VAGUE_PLACES: readonly string[] = [
  'California', 'Texas', 'Ohio', 'Georgia', 'England', 'Scotland', 'Sweden', 'Germany',
  'Pacific Northwest', 'Bay Area', 'Long Island', 'Southern California', 'Upstate NY',
  'Somewhere in Europe', 'Brooklyn / Paris', 'Jersey Shore', 'NYC [Harlem]', 'Motor City',
];

export const TITLE_WORDS: readonly string[] = [
  'Love', 'Heart', 'Night', 'Day', 'Fire', 'Rain', 'River', 'Road', 'Dream', 'Light',
  'Shadow', 'Summer', 'Winter', 'Stars', 'Ocean', 'City', 'Home', 'Time', 'Blue', 'Gold',
  'Silver', 'Midnight', 'Morning', 'Sunday', 'Highway', 'Thunder', 'Echo', 'Ghost', 'Diamond', 'Wild',
  'Broken', 'Burning', 'Falling', 'Running', 'Dancing', 'Lonely', 'Electric', 'Golden', 'Sweet', 'Dark',
  'Paper', 'Glass', 'Stone', 'Mirror', 'Window', 'Garden', 'Island', 'Mountain', 'Desert', 'Valley',
  'Angel', 'Devil', 'Queen', 'King', 'Rebel', 'Stranger', 'Lover', 'Child', 'Wolf', 'Bird',
  'Corazón', 'Noche', 'Amor', 'Café', 'Déjà Vu', 'Über', 'Señorita', 'Fiesta', 'Sol', 'Luna',
];

export const TITLE_PATTERNS: readonly string[] = [
  '{A}', '{A} {B}', 'The {A}', '{A} of {B}', '{A} in the {B}', 'My {A}', "Don't {A} Me",
  '{A} & {B}', '{A} ({B} Mix)', '{A} (Live)', '{A} (LP Version)', '{A} (Album Version)',
  '{A} {B} (Remastered)', "I'm {A}", 'Never {A}', '{A}, {B} and {C}', 'Back to {A}', '{A}/{B}',
  '{A} Part II', '{A} (Instrumental)', 'Ode to {A}', '{A} {B} {C}',
];

export const ARTIST_WORDS: readonly string[] = [
  'Lions', 'Tigers', 'Foxes', 'Horses', 'Wolves', 'Ravens', 'Owls', 'Sparrows', 'Whales', 'Bees',
  'Kings', 'Queens', 'Saints', 'Sinners', 'Pilots', 'Sailors', 'Drifters', 'Strangers', 'Brothers', 'Sisters',
  'Machines', 'Rockets', 'Satellites', 'Engines', 'Radios', 'Mirrors', 'Shadows', 'Echoes', 'Lights', 'Stones',
  'Velvet', 'Crystal', 'Neon', 'Cosmic', 'Midnight', 'Golden', 'Silent', 'Electric', 'Northern', 'Southern',
];

export const ARTIST_PATTERNS: readonly string[] = [
  'The {W} {X}', 'The {X}', '{F} {L}', '{F} {L}', '{F} {L} & The {X}', 'DJ {F}', '{W} {X}',
  '{L}', 'Los {X}', '{F} {L} Trio', 'MC {L}', '{F} and {F2}', '{W}{X}', '{F} {L} Featuring {F2} {L2}',
  '{L} / {L2}', 'Orchestre {W}',
];
